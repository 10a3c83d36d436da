/**
 * Renders migration DDL for a single node (chDB or one server) or for a cluster.
 *
 * Placeholders in queries/migrations/*.sql:
 *   {{local:t}}            table t (single node) or t_local (cluster: the shard-local table)
 *   {{on_cluster}}         nothing, or ON CLUSTER '<name>'
 *   {{engine:E}}           E, or its Replicated variant with a ZooKeeper path per table
 *   {{retention_days}}     FAULTLINE_RETENTION_DAYS (a validated integer)
 * and one directive comment per distributed table, `-- distribute: t by <sharding key>`, which in cluster mode
 * adds `CREATE TABLE t AS t_local ENGINE = Distributed(...)` right after the statement that creates t_local.
 * A file whose first line is `-- single-node only` (a data rebuild that cannot run ON CLUSTER) renders to nothing
 * in cluster mode.
 */

export interface DdlOptions {
  cluster: string | undefined;
  retentionDays: number;
}

/** One migration file -> the statements to run, in order. */
export function renderDdl(sql: string, opts: DdlOptions): string[] {
  if (opts.cluster && /^--\s*single-node only\s*$/m.test(sql.split('\n', 1)[0] ?? '')) return [];
  const distributed = new Map<string, string>();
  for (const m of sql.matchAll(/^--\s*distribute:\s*([a-z0-9_]+)\s+by\s+(.+)$/gm)) distributed.set(m[1]!, m[2]!.trim());

  const statements = splitStatements(sql);
  const out: string[] = [];
  for (const stmt of statements) {
    const created = /CREATE TABLE IF NOT EXISTS \{\{local:([a-z0-9_]+)\}\}/.exec(stmt)?.[1];
    out.push(renderStatement(stmt, created, opts));
    if (opts.cluster && created && distributed.has(created)) {
      out.push(
        `CREATE TABLE IF NOT EXISTS ${created} ON CLUSTER '${opts.cluster}' AS ${created}_local ` +
          `ENGINE = Distributed('${opts.cluster}', currentDatabase(), '${created}_local', ${distributed.get(created)})`,
      );
    }
  }
  return out;
}

function renderStatement(stmt: string, table: string | undefined, opts: DdlOptions): string {
  const cluster = opts.cluster;
  return stmt
    .replace(/\{\{local:([a-z0-9_]+)\}\}/g, (_m, t: string) => (cluster ? `${t}_local` : t))
    .replace(/\{\{on_cluster\}\}/g, cluster ? `ON CLUSTER '${cluster}'` : '')
    .replace(/\{\{retention_days\}\}/g, String(Math.trunc(opts.retentionDays)))
    .replace(/\{\{engine:([A-Za-z]+)(?:\(([^)]*)\))?\}\}/g, (_m, engine: string, args: string | undefined) => {
      if (!cluster) return args === undefined ? engine : `${engine}(${args})`;
      const zkPath = `'/clickhouse/tables/{shard}/{database}/${table ?? 'unknown'}_local'`;
      const all = [zkPath, `'{replica}'`, ...(args ? [args] : [])].join(', ');
      return `Replicated${engine}(${all})`;
    });
}

/** Splits on `;` at the end of a line; comment-only chunks are dropped. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--')));
}
