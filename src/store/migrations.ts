/** Versioned, idempotent migrations: each file in queries/migrations runs once, in order, recorded in the store. */
import type { Logger } from '../log.js';
import type { Store } from './clickhouse-store.js';
import { loadMigrationFiles, loadQuery } from './query-files.js';
import { renderDdl, type DdlOptions } from './render-ddl.js';

export interface MigrationResult {
  applied: number[];
  current: number;
}

/** `untilVersion` stops after that version: tests use it to build a store as an older faultline left it. */
export async function runMigrations(store: Store, opts: DdlOptions, log: Logger, untilVersion = Number.POSITIVE_INFINITY): Promise<MigrationResult> {
  await store.command(loadQuery('schema_migrations_create'));
  const done = new Set((await store.query<{ version: number }>('schema_migrations_applied')).map((r) => Number(r.version)));
  const applied: number[] = [];
  let current = 0;
  for (const m of loadMigrationFiles()) {
    if (m.version > untilVersion) break;
    current = Math.max(current, m.version);
    if (done.has(m.version)) continue;
    log.info('applying migration', { version: m.version, name: m.name });
    // Statements are written to be rerun (IF NOT EXISTS; a rebuild restarts its copy), so a migration interrupted
    // half-way is safe to run again.
    for (const stmt of renderDdl(m.sql, opts)) {
      // A rebuild copies every row of a table: say so, as it can take minutes on a large store.
      if (stmt.startsWith('INSERT INTO')) log.info('migration copying a table', { version: m.version, statement: stmt.split('\n', 1)[0] });
      await store.command(stmt);
    }
    await store.insertJson('faultline_schema_migrations', JSON.stringify({ Version: m.version, Name: m.name }) + '\n');
    applied.push(m.version);
  }
  return { applied, current };
}
