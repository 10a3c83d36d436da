/**
 * Keeps the tables' TTL equal to FAULTLINE_RETENTION_DAYS. The migrations set a TTL only when they create a table,
 * so a changed setting would otherwise be ignored silently; here it is compared on every start and applied (and
 * logged) when it differs. MODIFY TTL changes metadata at once; parts are re-evaluated by the engine's merges.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import type { Store } from './clickhouse-store.js';
import { QUERIES_DIR } from './query-files.js';
import { renderDdl, type DdlOptions } from './render-ddl.js';

/** The retention (days) in a table's DDL, or undefined when it has no day TTL. */
export function retentionDaysOf(createStatement: string): number | undefined {
  const m = /TTL\s+[^\n]*?toIntervalDay\((\d+)\)/.exec(createStatement);
  return m ? Number(m[1]) : undefined;
}

export async function applyRetention(store: Store, opts: DdlOptions, log: Logger): Promise<boolean> {
  const table = store.tableName(opts.cluster ? 'otel_traces_local' : 'otel_traces');
  const [row] = await store.query('show_create_table', { table });
  const current = row ? retentionDaysOf(row.statement) : undefined;
  if (current === opts.retentionDays) return false;
  log.info('changing data retention', { fromDays: current, toDays: opts.retentionDays });
  for (const stmt of renderDdl(readFileSync(join(QUERIES_DIR, 'retention', 'apply_retention.sql'), 'utf8'), opts))
    await store.command(stmt);
  return true;
}
