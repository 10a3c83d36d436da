/** Versioned, idempotent migrations: each file in queries/migrations runs once, in order, recorded in the store. */
import { randomUUID } from 'node:crypto';
import { StoreRefusedError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Store } from './clickhouse-store.js';
import { loadMigrationFiles, loadQuery } from './query-files.js';
import { renderDdl, type DdlOptions } from './render-ddl.js';

export interface MigrationResult {
  applied: number[];
  current: number;
}

export interface MigrationLockOptions {
  /** How long a holder may keep the lock before others take it (a replica that died while migrating). */
  leaseSeconds: number;
  /** Wait after asking for the lock before reading who holds it, so a request made just before ours is visible. */
  settleMs: number;
}

const DEFAULT_LOCK: MigrationLockOptions = { leaseSeconds: 15 * 60, settleMs: 250 };

/** `untilVersion` stops after that version: tests use it to build a store as an older faultline left it. */
export async function runMigrations(
  store: Store,
  opts: DdlOptions,
  log: Logger,
  untilVersion = Number.POSITIVE_INFINITY,
  lock: MigrationLockOptions = DEFAULT_LOCK,
): Promise<MigrationResult> {
  await store.command(loadQuery('schema_migrations_create'));
  // The embedded engine admits one process per data dir: nobody to take turns with.
  if (store.kind === 'chdb') return applyPending(store, opts, log, untilVersion);
  await store.command(loadQuery('migration_lock_create'));
  const holder = randomUUID();
  await acquireLock(store, holder, lock, log);
  try {
    return await applyPending(store, opts, log, untilVersion);
  } finally {
    await store
      .command(loadQuery('migration_lock_release'), { holder })
      .catch((err: unknown) => log.warn('could not release the migration lock; it expires with its lease', { err }));
  }
}

async function applyPending(store: Store, opts: DdlOptions, log: Logger, untilVersion: number): Promise<MigrationResult> {
  const done = new Set((await store.query('schema_migrations_applied')).map((r) => Number(r.version)));
  if (done.size === 0) await refuseForeignTracesTable(store, opts);
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

/**
 * A store faultline never migrated must not already hold the raw-span table: the Collector's clickhouseexporter makes
 * one named otel_traces, and faultline's migrations would rebuild and alter it. Refuse, and say how to share. (A table
 * with faultline's own sort key is ours from a first start that stopped before it recorded migration 1.)
 */
async function refuseForeignTracesTable(store: Store, opts: DdlOptions): Promise<void> {
  const table = store.tableName(opts.cluster ? 'otel_traces_local' : 'otel_traces');
  const [row] = await store.query('show_create_table', { table });
  if (!row || row.statement.includes(FAULTLINE_SORT_KEY)) return;
  throw new StoreRefusedError(
    `table ${table} already exists and faultline did not create it (the Collector's clickhouseexporter makes one of that name); ` +
      `faultline will not alter a table it does not own: set FAULTLINE_TRACES_TABLE to another name (e.g. faultline_traces) or use another database`,
  );
}

/** How migration 1 sorts the raw-span table (no other writer uses it). */
const FAULTLINE_SORT_KEY = 'ORDER BY (ServiceName, toStartOfMinute(Timestamp), TraceId)';

async function acquireLock(store: Store, holder: string, lock: MigrationLockOptions, log: Logger): Promise<void> {
  await store.command(loadQuery('migration_lock_request'), { holder });
  let waitingFor: string | undefined;
  for (;;) {
    await new Promise((r) => setTimeout(r, lock.settleMs));
    const [first] = await store.query('migration_lock_holder', { leaseSeconds: lock.leaseSeconds });
    // Our own request expired while we waited (a holder took the whole lease): ask again.
    if (!first) {
      await store.command(loadQuery('migration_lock_request'), { holder });
      continue;
    }
    if (first.holder === holder) return;
    if (first.holder !== waitingFor)
      log.info('waiting for another faultline to finish migrating the store', {
        holder: first.holder,
        since: new Date(Number(first.atMs)).toISOString(),
      });
    waitingFor = first.holder;
  }
}
