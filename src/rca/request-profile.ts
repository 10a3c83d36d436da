/**
 * What the alerting service's requests of one period look like, charged to candidates: per candidate, the mean
 * critical-path milliseconds it adds to a request (and among the slowest tenth of requests, which is what a P99
 * alert feels), the calls per request, and the share of requests whose failure starts there.
 */
import { SpanKind } from '../span.js';
import { isPoolWait, virtualPeerOf } from '../graph/virtual-peer.js';
import type { RequestSample, StoredTraceSpan } from '../store/request-traces.js';
import { attributeRequest, type CandidateRef, type TraceSpan } from './critical-path.js';
import { shiftSkewedCallees } from './clock-skew.js';
import { wireQueueHops } from './queue-hops.js';

export interface CandidateTotals {
  /** Sums over requests of the ms charged (and its square, for the standard error). */
  sum: number;
  sumSq: number;
  /**
   * The same over the tenth of requests where it costs most (its own upper tail, zeros included). Taken per
   * candidate rather than over the slowest requests, so a shift in which requests are slow does not move it.
   */
  tailSum: number;
  tailSumSq: number;
  calls: number;
  /** Requests whose failure starts here. */
  errorOrigins: number;
  /** The requests where it cost most (up to 3), and one whose failure started here. */
  slowest: Exemplar[];
  failedHere: Exemplar | undefined;
}

/** A request that shows a candidate at work: its trace, the candidate's span in it, the request's duration. */
export interface Exemplar {
  traceId: string;
  spanId: string;
  durationMs: number;
  error: boolean;
  /** Critical-path ms the candidate took in this request. */
  ms: number;
}

/** Per-candidate sums over stretches of the period as long as the window (see `PeriodBlocks`). */
export interface BlockTotals {
  /** Requests per block. */
  requests: number[];
  /**
   * Per candidate and block: critical-path ms (sum and sum of squares), and the same over the block's tail (its
   * tenth of requests where the candidate cost most, as for the whole period).
   */
  sums: Map<string, { sum: number[]; sumSq: number[]; tailSum: number[]; tailSumSq: number[] }>;
  /** Requests in each block's tail. */
  tailCounts: number[];
}

/** Cut the period into stretches of `blockMs` from `startMs` (a baseline, in stretches as long as the window). */
export interface PeriodBlocks {
  startMs: number;
  blockMs: number;
  count: number;
}

export interface RequestProfile {
  requests: number;
  failed: number;
  meanMs: number;
  /** Requests in a tail (a tenth of the requests, at least one) and the mean duration of the slowest that many. */
  tailCount: number;
  tailMeanMs: number;
  candidates: Map<string, CandidateTotals>;
  refs: Map<string, CandidateRef>;
  /** When asked for: the same per stretch of the period, to tell a recurring pattern from a new one. */
  blocks?: BlockTotals;
  /** A service's own time per replica (`instanceKey`): ms summed, and the requests that reached the replica. */
  instances: Map<string, { sum: number; requests: number }>;
  /** Per candidate, ms summed by operation (span name) over the requests. */
  operations: Map<string, Map<string, number>>;
  /** Per queue: the lag of the messages the requests waited for (ms summed), how many, and who consumed them. */
  queueLag: Map<string, { ms: number; messages: number; consumer: string }>;
}

const KIND_NUMBERS: Record<string, number> = { Unspecified: 0, Internal: 1, Server: 2, Client: 3, Producer: 4, Consumer: 5 };

/** How long the walk runs before it lets other work (ingest acks, API requests) onto the event loop. */
const SLICE_MS = 8;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function profileRequests(sample: RequestSample, periodBlocks?: PeriodBlocks): Promise<RequestProfile> {
  // A trace that links to a sampled one (a queue's consumer that started its own trace) is read as part of it.
  const sampled = new Set(sample.entries.map((e) => e.traceId));
  const hostOf = new Map<string, string>();
  for (const s of sample.spans) {
    if (!s.linkTraceIds?.length || sampled.has(s.traceId) || hostOf.has(s.traceId)) continue;
    const host = s.linkTraceIds.find((t) => sampled.has(t));
    if (host) hostOf.set(s.traceId, host);
  }
  const byTrace = new Map<string, StoredTraceSpan[]>();
  for (const s of sample.spans) {
    const key = hostOf.get(s.traceId) ?? s.traceId;
    const list = byTrace.get(key);
    if (list) list.push(s);
    else byTrace.set(key, [s]);
  }
  const refs = new Map<string, CandidateRef>();
  const attributions: (ReturnType<typeof attributeRequest> & { traceId: string; startMs: number })[] = [];
  const traces = new Map<string, { spans: Map<string, TraceSpan>; children: Map<string, TraceSpan[]>; originMs: number }>();
  let sliceStart = performance.now();
  for (const e of sample.entries) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
    let t = traces.get(e.traceId);
    if (!t) {
      t = indexTrace(byTrace.get(e.traceId) ?? []);
      traces.set(e.traceId, t);
    }
    const entry = t.spans.get(e.spanId);
    if (!entry) continue; // beyond the span budget
    const children = t.children;
    attributions.push({
      ...attributeRequest(entry, (id) => children.get(id) ?? [], refs),
      traceId: e.traceId,
      startMs: t.originMs + entry.start,
    });
  }

  const n = attributions.length;
  const tailCount = Math.max(1, Math.ceil(n / 10));
  const candidates = new Map<string, CandidateTotals>();
  const perRequest = new Map<string, number[]>();
  const totals = (key: string): CandidateTotals => {
    let c = candidates.get(key);
    if (!c) {
      c = { sum: 0, sumSq: 0, tailSum: 0, tailSumSq: 0, calls: 0, errorOrigins: 0, slowest: [], failedHere: undefined };
      candidates.set(key, c);
    }
    return c;
  };
  const instances = new Map<string, { sum: number; requests: number }>();
  const operations = new Map<string, Map<string, number>>();
  const queueLag = new Map<string, { ms: number; messages: number; consumer: string }>();
  let failed = 0;
  let total = 0;
  for (const a of attributions) {
    total += a.durationMs;
    for (const [key, ms] of a.time) {
      const c = totals(key);
      c.sum += ms;
      c.sumSq += ms * ms;
      keepSlowest(c.slowest, {
        traceId: a.traceId,
        spanId: a.spanIds.get(key) ?? '',
        durationMs: round(a.durationMs),
        error: a.failed && a.errorOrigin === key,
        ms: round(ms),
      });
      const list = perRequest.get(key);
      if (list) list.push(ms);
      else perRequest.set(key, [ms]);
    }
    for (const [key, k] of a.calls) totals(key).calls += k;
    for (const [key, ops] of a.operationTime) {
      let into = operations.get(key);
      if (!into) operations.set(key, (into = new Map()));
      for (const [op, ms] of ops) into.set(op, (into.get(op) ?? 0) + ms);
    }
    for (const [queue, lag] of a.queueLag) {
      const into = queueLag.get(queue);
      if (into) {
        into.ms += lag.ms;
        into.messages += lag.messages;
      } else queueLag.set(queue, { ...lag });
    }
    for (const [key, ms] of a.instanceTime) {
      const r = instances.get(key);
      if (r) {
        r.sum += ms;
        r.requests++;
      } else instances.set(key, { sum: ms, requests: 1 });
    }
    if (a.failed) {
      failed++;
      if (a.errorOrigin !== undefined) {
        const c = totals(a.errorOrigin);
        c.errorOrigins++;
        if (!c.failedHere || a.durationMs > c.failedHere.durationMs) {
          c.failedHere = {
            traceId: a.traceId,
            spanId: a.spanIds.get(a.errorOrigin) ?? '',
            durationMs: round(a.durationMs),
            error: true,
            ms: round(a.time.get(a.errorOrigin) ?? 0),
          };
        }
      }
    }
  }
  for (const [key, list] of perRequest) {
    // Requests that did not touch it count as zeros, which sort last: only the largest tailCount values matter.
    const top = list.sort((a, b) => b - a).slice(0, tailCount);
    const c = candidates.get(key)!;
    for (const ms of top) {
      c.tailSum += ms;
      c.tailSumSq += ms * ms;
    }
  }
  const slowest = attributions
    .map((a) => a.durationMs)
    .sort((a, b) => b - a)
    .slice(0, tailCount);
  const tailMeanMs = n > 0 ? slowest.reduce((x, y) => x + y, 0) / tailCount : 0;
  const meanMs = n > 0 ? total / n : 0;
  const blocks = periodBlocks ? blockTotals(attributions, periodBlocks) : undefined;
  return {
    requests: n,
    failed,
    meanMs,
    tailCount,
    tailMeanMs,
    candidates,
    refs,
    instances,
    operations,
    queueLag,
    ...(blocks ? { blocks } : {}),
  };
}

function blockTotals(attributions: { startMs: number; time: Map<string, number> }[], b: PeriodBlocks): BlockTotals {
  const zeros = () => new Array<number>(b.count).fill(0);
  const out: BlockTotals = { requests: zeros(), sums: new Map(), tailCounts: zeros() };
  const values = new Map<string, number[][]>();
  for (const a of attributions) {
    const i = Math.floor((a.startMs - b.startMs) / b.blockMs);
    if (i < 0 || i >= b.count) continue;
    out.requests[i]!++;
    for (const [key, ms] of a.time) {
      let s = out.sums.get(key);
      if (!s) {
        out.sums.set(key, (s = { sum: zeros(), sumSq: zeros(), tailSum: zeros(), tailSumSq: zeros() }));
        values.set(
          key,
          Array.from({ length: b.count }, () => []),
        );
      }
      s.sum[i]! += ms;
      s.sumSq[i]! += ms * ms;
      values.get(key)![i]!.push(ms);
    }
  }
  out.tailCounts = out.requests.map((n) => Math.max(1, Math.ceil(n / 10)));
  for (const [key, perBlock] of values) {
    const s = out.sums.get(key)!;
    perBlock.forEach((list, i) => {
      for (const ms of list.sort((x, y) => y - x).slice(0, out.tailCounts[i])) {
        s.tailSum[i]! += ms;
        s.tailSumSq[i]! += ms * ms;
      }
    });
  }
  return out;
}

const EXEMPLARS = 3;
const round = (x: number): number => Math.round(x * 10) / 10;

/** Keeps the EXEMPLARS requests where the candidate cost most, most first. */
function keepSlowest(list: Exemplar[], e: Exemplar): void {
  if (list.length === EXEMPLARS && e.ms <= list[EXEMPLARS - 1]!.ms) return;
  let i = list.length;
  while (i > 0 && list[i - 1]!.ms < e.ms) i--;
  list.splice(i, 0, e);
  if (list.length > EXEMPLARS) list.pop();
}

/**
 * A trace's spans (with the traces linked to it) with times in ms from its earliest span (exact: ns offsets are taken
 * as BigInt first). A linked trace's root hangs under the span it links to; skewed callees are shifted into their
 * client spans (clock-skew.ts) and queue hops are wired (queue-hops.ts).
 */
function indexTrace(rows: StoredTraceSpan[]): { spans: Map<string, TraceSpan>; children: Map<string, TraceSpan[]>; originMs: number } {
  const spans = new Map<string, TraceSpan>();
  const children = new Map<string, TraceSpan[]>();
  if (rows.length === 0) return { spans, children, originMs: 0 };
  const ids = new Set(rows.map((r) => r.spanId));
  let origin = BigInt(rows[0]!.startNs);
  for (const r of rows) {
    const s = BigInt(r.startNs);
    if (s < origin) origin = s;
  }
  for (const r of rows) {
    if (spans.has(r.spanId)) continue; // a duplicate delivery
    const stated = KIND_NUMBERS[r.kind] ?? 0;
    const parentSpanId = ids.has(r.parentSpanId) ? r.parentSpanId : (r.linkSpanIds?.find((id) => ids.has(id)) ?? r.parentSpanId);
    const op = r.peerAttributes['messaging.operation.type'] || r.peerAttributes['messaging.operation'];
    // A receive inside a request (not a consumer loop's root) is its wait for a reply: a call out, whatever its kind.
    const receive = op === 'receive' && (stated === SpanKind.CLIENT || stated === SpanKind.CONSUMER) && ids.has(parentSpanId);
    // A wait for a pooled connection is the caller's own time, not a call to the database.
    const kind = receive
      ? SpanKind.CLIENT
      : stated === SpanKind.CLIENT && r.name !== undefined && isPoolWait(r.name)
        ? SpanKind.INTERNAL
        : stated;
    const start = Number(BigInt(r.startNs) - origin) / 1e6;
    const span: TraceSpan = {
      spanId: r.spanId,
      parentSpanId,
      service: r.service,
      kind,
      start,
      end: start + Number(r.durationNs) / 1e6,
      failed: r.failed === true || Number(r.failed) === 1,
      instance: r.instance ?? '',
      ...(r.name ? { name: r.name } : {}),
      peer: kind === SpanKind.CLIENT || kind === SpanKind.PRODUCER ? virtualPeerOf(r.peerAttributes) : undefined,
      ...(receive ? { receive } : {}),
    };
    spans.set(r.spanId, span);
    const siblings = children.get(parentSpanId);
    if (siblings) siblings.push(span);
    else children.set(parentSpanId, [span]);
  }
  shiftSkewedCallees(spans.values(), children);
  wireQueueHops(spans.values(), children);
  return { spans, children, originMs: Number(origin / 1_000_000n) };
}
