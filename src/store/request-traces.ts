/**
 * A sample of one service's requests in a period with the spans of their traces, for the critical-path analysis
 * (rca/critical-path.ts). Sampling keeps an analysis bounded however busy the service is; the sample is a hash of
 * the span id, so the same window gives the same answer.
 */
import type { Store } from './clickhouse-store.js';

export interface RequestSampleQuery {
  service: string;
  operation?: string;
  /** Deployment environment of the requests ('' or absent: all). */
  environment?: string;
  startMs: number;
  endMs: number;
  /** Requests to sample. */
  limit: number;
  /** Spans read at most (all traces together). */
  maxSpans: number;
}

export interface StoredTraceSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  service: string;
  kind: string;
  startNs: string;
  durationNs: number;
  failed: number | boolean;
  /** The span's name: the operation (`GET /cart`, `SELECT shop.stock`). */
  name?: string;
  /** service.instance.id, k8s.pod.name or host.name of its resource ('' when none). */
  instance?: string;
  peerAttributes: Record<string, string>;
  /** Its span links (parallel arrays): a consumer that started its own trace links to the publish span. */
  linkTraceIds?: string[];
  linkSpanIds?: string[];
}

export interface RequestSample {
  /** The sampled requests: the alerting service's server/consumer spans. */
  entries: { traceId: string; spanId: string }[];
  /**
   * The stored spans of their traces, and of the traces that link to them (queue consumers), from the earliest
   * request's start to the latest one's end, give or take a margin.
   */
  spans: StoredTraceSpan[];
  /** The span budget was reached: some traces were read in part (the same part every time). */
  truncated?: boolean;
}

/**
 * How far a sampled trace's spans may lie outside its request's own start and end and still be read: clock skew
 * between hosts, a caller's client span before it, work a queue hands on after the request returned.
 */
const TRACE_MARGIN_MS = 10 * 60_000;

export async function loadRequestSample(store: Store, q: RequestSampleQuery): Promise<RequestSample> {
  const range = { start: q.startMs, end: q.endMs };
  const sampled = await store.query('rca_request_sample', {
    ...range,
    service: q.service,
    operation: q.operation ?? '',
    environment: q.environment ?? '',
    limit: q.limit,
  });
  const entries = sampled.map((e) => ({ traceId: e.traceId, spanId: e.spanId }));
  if (entries.length === 0) return { entries, spans: [], truncated: false };
  const traceIds = [...new Set(entries.map((e) => e.traceId))];
  // The requests' extent: a request's subtree starts and ends inside it (give or take the margin).
  let from = Infinity;
  let to = -Infinity;
  for (const e of sampled) {
    from = Math.min(from, e.startMs);
    to = Math.max(to, e.endMs);
  }
  const extent = { from: from - TRACE_MARGIN_MS, to: to + TRACE_MARGIN_MS };
  const spans = await store.query('rca_trace_spans', { traceIds, ...extent, maxSpans: q.maxSpans });
  // Work handed to a queue may continue in a trace of its own, linked to the publish span: read those traces too,
  // within what is left of the span budget. Only when something was published (most systems publish nothing).
  let truncated = spans.length >= q.maxSpans;
  const left = q.maxSpans - spans.length;
  if (left > 0 && spans.some((s) => s.kind === 'Producer')) {
    const linked = await store.query('rca_linked_traces', { ...range, traceIds, marginMs: TRACE_MARGIN_MS, limit: traceIds.length * 4 });
    const known = new Set(traceIds);
    const fresh = linked.map((l) => l.traceId).filter((id) => !known.has(id));
    if (fresh.length > 0) {
      const more = await store.query('rca_trace_spans', { traceIds: fresh, ...extent, maxSpans: left });
      truncated ||= more.length >= left;
      for (const s of more) spans.push(s);
    }
  }
  return { entries, spans, truncated };
}
