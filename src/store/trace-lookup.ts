/** One trace's stored spans, ordered by start, for GET /api/v1/traces/:traceId and exemplar links. */
import type { Store } from './clickhouse-store.js';

export interface TraceSpanEvent {
  timeNs: string;
  name: string;
  attributes: Record<string, string>;
}

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
  statusMessage: string;
  attributes: Record<string, string>;
  resource: Record<string, string>;
  events: TraceSpanEvent[];
  links: { traceId: string; spanId: string }[];
}

export interface StoredTraceRow extends Omit<TraceSpanRow, 'events' | 'links'> {
  eventTimesNs: string[];
  eventNames: string[];
  eventAttributes: Record<string, string>[];
  linkTraceIds: string[];
  linkSpanIds: string[];
}

/** A trace larger than this is cut (the largest batch jobs make ~100k-span traces; a page cannot show more). */
export const MAX_TRACE_SPANS = 50_000;

export async function loadTrace(store: Store, traceId: string): Promise<TraceSpanRow[]> {
  const rows = await store.query('trace_spans', { traceId, maxSpans: MAX_TRACE_SPANS });
  return rows.map(({ eventTimesNs, eventNames, eventAttributes, linkTraceIds, linkSpanIds, ...span }) => ({
    ...span,
    events: eventTimesNs.map((timeNs, i) => ({ timeNs, name: eventNames[i] ?? '', attributes: eventAttributes[i] ?? {} })),
    links: linkTraceIds.map((id, i) => ({ traceId: id, spanId: linkSpanIds[i] ?? '' })),
  }));
}
