/**
 * Broken parts the engine detached while opening the store leave no trace in faultline's own output otherwise: its
 * rows silently vanish from every query. At start they are read from system.detached_parts, logged at error level
 * with what to do, and exposed as a gauge.
 */
import type { Logger } from '../log.js';
import type { Store } from './clickhouse-store.js';

export interface DetachedParts {
  table: string;
  reason: string;
  parts: number;
}

export async function reportDetachedParts(store: Store, log: Logger): Promise<DetachedParts[]> {
  let rows: DetachedParts[];
  try {
    rows = (await store.query('detached_parts')).map((r) => ({ ...r, parts: Number(r.parts) }));
  } catch (err) {
    log.warn('could not read the detached parts (system.detached_parts)', { err });
    return [];
  }
  for (const r of rows) {
    const broken = /broken|unexpected|noquorum|clone|ignored/.test(r.reason);
    const line = `table ${r.table}: ${r.parts} part(s) detached (reason ${r.reason || 'by hand'}); their rows are not readable`;
    if (broken) log.error(`${line}: the data directory needs attention (check the disk; see system.detached_parts)`, { ...r });
    else log.info(line, { ...r });
  }
  return rows;
}
