/**
 * Where one request's time went, along its critical path (as Uber's CRISP does): walking back from the request's
 * end, the child that finished last is what the span was waiting for; time not covered by such a child is the span's
 * own. Each piece of the path is charged to a candidate:
 *  - a service's own time (server, consumer, internal spans) to the service;
 *  - a client span's time outside its server span (network, queueing, connection pool) to the edge `A -> B`;
 *  - a client span with no instrumented child to the database, queue or API it names (a virtual node);
 *  - a failed attempt that is retried (the next call on the path goes to the same callee), with the backoff after
 *    it, to where that attempt's failure started (the callee, or whatever failed under it), not to the caller.
 * Children that outlive a non-client parent were not waited for (fire and forget) and are off the path; a server span
 * that outlives its client span (a timeout) is on it up to the moment the client gave up.
 * The request's failure is traced the same way: down through failed children to the span where it starts; a client
 * span that failed because its callee outlasted its timeout charges the callee.
 */
import { SpanKind } from '../span.js';
import type { VirtualPeer } from '../graph/virtual-peer.js';
import type { CandidateKind } from './report.js';

export interface TraceSpan {
  spanId: string;
  parentSpanId: string;
  service: string;
  /** OTLP SpanKind number. */
  kind: number;
  /** ms from any origin shared by the trace. */
  start: number;
  end: number;
  failed: boolean;
  /** The replica of its service that emitted it ('' when unknown). */
  instance?: string;
  /** Its name: the operation whose time it is. */
  name?: string;
  /** For client/producer spans: the uninstrumented peer their attributes name. */
  peer: VirtualPeer | undefined;
}

export interface CandidateRef {
  kind: CandidateKind;
  /** Services from the request's service down to the candidate (for an edge: to its callee): the path that carried most of its time. */
  path: string[];
  /** Critical-path ms seen per path (joined by ' > '), to pick `path`. */
  pathWeights: Map<string, number>;
}

export interface RequestAttribution {
  durationMs: number;
  failed: boolean;
  /** Critical-path ms charged to each candidate; they add up to the request's duration. */
  time: Map<string, number>;
  /** Calls into each candidate (spans of a service, client calls of a virtual node) within the request. */
  calls: Map<string, number>;
  /** Where the request's failure starts, when it failed. */
  errorOrigin: string | undefined;
  /** A span of each candidate in this request (its own span, or the client span that calls it): for exemplars. */
  spanIds: Map<string, string>;
  /** A service's own time per replica (`service\u0000instance`), where the spans name one. */
  instanceTime: Map<string, number>;
  /** Per candidate, the ms charged to it by operation (the span name whose time it was). */
  operationTime: Map<string, Map<string, number>>;
}

/** The key of one replica's own time. */
export const instanceKey = (service: string, instance: string): string => `${service}\u0000${instance}`;

/** Deepest call chain walked, and most spans followed down one failure: beyond, the rest is the last span's own. */
const MAX_DEPTH = 500;
const MAX_SPANS_TRACED = 10_000;

const isCaller = (k: number): boolean => k === SpanKind.CLIENT || k === SpanKind.PRODUCER;
const isCallee = (k: number): boolean => k === SpanKind.SERVER || k === SpanKind.CONSUMER;

export const edgeKey = (client: string, server: string): string => `${client} -> ${server}`;

/**
 * Charges one request's critical path. `childrenOf` gives a span's children; `refs` collects each candidate's kind
 * and the first path seen to it (shared across requests).
 */
export function attributeRequest(
  entry: TraceSpan,
  childrenOf: (spanId: string) => readonly TraceSpan[],
  refs: Map<string, CandidateRef>,
): RequestAttribution {
  const time = new Map<string, number>();
  const instanceTime = new Map<string, number>();
  const operationTime = new Map<string, Map<string, number>>();
  /** Charges a span's own time to its owner, by operation, and to its replica when the span names one. */
  const chargeOwn = (span: TraceSpan, owner: string, ms: number): void => {
    charge(owner, ms);
    if (ms > 0 && span.name) {
      let ops = operationTime.get(owner);
      if (!ops) operationTime.set(owner, (ops = new Map()));
      ops.set(span.name, (ops.get(span.name) ?? 0) + ms);
    }
    if (ms > 0 && span.instance && owner === span.service && !isCaller(span.kind)) {
      const k = instanceKey(span.service, span.instance);
      instanceTime.set(k, (instanceTime.get(k) ?? 0) + ms);
    }
  };
  const calls = new Map<string, number>();
  /** The path each candidate was last reached by, so charged time also weighs that path. */
  const lastPath = new Map<string, string[]>();
  const spanIds = new Map<string, string>();
  const charge = (key: string, ms: number): void => {
    if (ms <= 0) return;
    time.set(key, (time.get(key) ?? 0) + ms);
    const ref = refs.get(key);
    const path = lastPath.get(key);
    if (ref && path) {
      const joined = path.join(' > ');
      const w = (ref.pathWeights.get(joined) ?? 0) + ms;
      ref.pathWeights.set(joined, w);
      if (w > (ref.pathWeights.get(ref.path.join(' > ')) ?? 0)) ref.path = path;
    }
  };
  const note = (key: string, kind: CandidateKind, path: string[], spanId: string): void => {
    lastPath.set(key, path);
    if (!spanIds.has(key)) spanIds.set(key, spanId);
    if (!refs.has(key)) refs.set(key, { kind, path, pathWeights: new Map() });
  };
  /** Counts a call into a candidate; a callee that is counted but never walked (off the path) still gets its ref. */
  const count = (key: string, kind: CandidateKind, path: string[]): void => {
    calls.set(key, (calls.get(key) ?? 0) + 1);
    if (!refs.has(key)) refs.set(key, { kind, path, pathWeights: new Map() });
  };
  /**
   * Spans already walked (or traced for a failure): bad parent ids can make a trace a cycle, and a span reached
   * twice would be charged twice. Depth is bounded too, so a hostile chain cannot overflow the stack.
   */
  const walked = new Set<string>();
  const traced = new Set<string>();

  /** A client span's instrumented counterpart, if any. */
  const serverOf = (client: TraceSpan): TraceSpan | undefined => childrenOf(client.spanId).find((c) => isCallee(c.kind));

  /** Slack for clock rounding when a child ends "after" its parent. */
  const toleranceOf = (span: TraceSpan): number => 0.1 + 0.001 * (span.end - span.start);

  /**
   * The children a span waited for: all of a client's (its server span, up to the moment it gave up), and a
   * non-client's that ended before it did (one that outlives it was fire and forget).
   */
  const awaitedOf = (span: TraceSpan): TraceSpan[] => {
    const limit = span.end + toleranceOf(span);
    return childrenOf(span.spanId).filter((c) => isCaller(span.kind) || c.end <= limit);
  };

  /** The node a client span calls: its server span's service, or the peer it names. */
  const targetOf = (client: TraceSpan): string | undefined => serverOf(client)?.service ?? client.peer?.name;

  /** Who owns a span's own time: the service, the edge to its callee, or the virtual node it names. */
  const ownerOf = (span: TraceSpan, path: string[]): string => {
    if (!isCaller(span.kind)) {
      note(span.service, 'service', path, span.spanId);
      return span.service;
    }
    const server = serverOf(span);
    if (server) {
      const key = edgeKey(span.service, server.service);
      note(key, 'edge', [...path, server.service], span.spanId);
      return key;
    }
    if (span.peer) {
      note(span.peer.name, span.peer.kind, [...path, span.peer.name], span.spanId);
      return span.peer.name;
    }
    note(span.service, 'service', path, span.spanId);
    return span.service;
  };

  const walk = (span: TraceSpan, lo: number, hi: number, path: string[], depth: number): void => {
    walked.add(span.spanId);
    const owner = ownerOf(span, path);
    if (isCaller(span.kind) && !serverOf(span)) count(owner, refs.get(owner)!.kind, path);
    const awaited = depth >= MAX_DEPTH ? [] : awaitedOf(span).filter((c) => !walked.has(c.spanId));
    for (const c of awaited) if (isCallee(c.kind) && c.service !== span.service) count(c.service, 'service', childPath(path, c));
    // Latest end first: walking back, the first child that started before `cur` is the one the span waited for,
    // and a child skipped once (started at or after `cur`) never qualifies again, as `cur` only moves back. One
    // pass, so a span with thousands of children (a batch job) stays linear after the sort.
    const byEnd = [...awaited].sort((x, y) => y.end - x.end);
    let next = 0;
    let cur = hi;
    let later: TraceSpan | undefined;
    while (cur > lo) {
      while (next < byEnd.length && byEnd[next]!.start >= cur) next++;
      const best = byEnd[next++];
      if (!best) {
        chargeOwn(span, owner, cur - lo);
        break;
      }
      const e = Math.max(Math.min(best.end, cur), lo);
      const s = Math.max(best.start, lo);
      const retried = isRetried(best, later);
      if (retried !== undefined) {
        // A failed attempt that was retried: all of it, and the backoff after it, is the failure's origin's doing.
        const origin = errorOrigin(best, childPath(path, best));
        charge(origin, cur - s);
      } else {
        if (cur > e) chargeOwn(span, owner, cur - e);
        if (e > s) walk(best, s, e, childPath(path, best), depth + 1);
      }
      cur = s;
      later = best;
    }
  };

  /** The callee of a failed call that the next call on the path retries (same callee), or undefined. */
  const isRetried = (before: TraceSpan, after: TraceSpan | undefined): string | undefined => {
    if (!after || !before.failed || !isCaller(before.kind) || !isCaller(after.kind)) return undefined;
    const target = targetOf(before);
    return target !== undefined && target === targetOf(after) ? target : undefined;
  };

  const childPath = (path: string[], child: TraceSpan): string[] =>
    child.service !== path[path.length - 1] ? [...path, child.service] : path;

  /** Where the failure of `span` starts (each call follows the failed children afresh). */
  const errorOrigin = (span: TraceSpan, path: string[]): string => {
    traced.clear();
    return failureStart(span, path);
  };

  const failureStart = (span: TraceSpan, path: string[]): string => {
    traced.add(span.spanId);
    const failedKids = traced.size > MAX_SPANS_TRACED ? [] : awaitedOf(span).filter((c) => c.failed && !traced.has(c.spanId));
    if (failedKids.length > 0) {
      const last = failedKids.reduce((a, b) => (b.end > a.end ? b : a));
      return failureStart(last, childPath(path, last));
    }
    if (isCaller(span.kind)) {
      const server = serverOf(span);
      // The callee outlasted the client's patience: a timeout, which is the callee's.
      if (server && server.end >= span.end - toleranceOf(span)) {
        note(server.service, 'service', childPath(path, server), server.spanId);
        return server.service;
      }
      if (!server && span.peer) {
        note(span.peer.name, span.peer.kind, [...path, span.peer.name], span.spanId);
        return span.peer.name;
      }
    }
    return ownerOf(span, path);
  };

  note(entry.service, 'service', [entry.service], entry.spanId);
  walk(entry, entry.start, entry.end, [entry.service], 0);
  return {
    durationMs: entry.end - entry.start,
    failed: entry.failed,
    time,
    calls,
    errorOrigin: entry.failed ? errorOrigin(entry, [entry.service]) : undefined,
    spanIds,
    instanceTime,
    operationTime,
  };
}
