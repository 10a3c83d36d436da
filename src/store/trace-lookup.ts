/** One trace's stored spans, ordered by start, for GET /api/v1/traces/:traceId and exemplar links. */
import type { Store } from './clickhouse-store.js';

export interface TraceSpanRow {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  serviceName: string;
  startNs: string;
  durationNs: number;
  statusCode: string;
  attributes: Record<string, string>;
}

export async function loadTrace(store: Store, traceId: string): Promise<TraceSpanRow[]> {
  const rows = await store.query<TraceSpanRow>('spans_for_traces', { traceIds: [traceId] });
  return rows.sort((a, b) => (BigInt(a.startNs) < BigInt(b.startNs) ? -1 : BigInt(a.startNs) > BigInt(b.startNs) ? 1 : 0));
}
