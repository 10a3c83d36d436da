/**
 * Where one request's time went, along its critical path (as Uber's CRISP does): walking back from the request's
 * end, the child that finished last is what the span was waiting for; time not covered by such a child is the span's
 * own. Each piece of the path is charged to a candidate:
 *  - a service's own time (server, consumer, internal spans) to the service;
 *  - a client span's time outside its server span (network, queueing, connection pool) to the edge `A -> B`;
 *  - a client span with no instrumented child to the database, queue or API it names (a virtual node);
 *  - a failed attempt that is retried (a later call of the same span goes to the same callee), with the backoff after
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
  /** A blocking receive (a reply wait): its children are the consumers of what its request published (queue-hops.ts). */
  receive?: boolean;
  /** For a consumer span: the queue it took the message from and when the publish ended (its queue lag). */
  queued?: { queue: string; publishedAt: number };
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
  /** Per queue, the lag (publish end -> process start, ms) of the messages the request waited for, and how many. */
  queueLag: Map<string, { ms: number; messages: number; consumer: string }>;
}

/** The operation name under which a reply wait's own time is charged to the worker it waited for. */
export const QUEUE_WAIT = 'waiting in queue';

/** The key of one replica's own time. */
export const instanceKey = (service: string, instance: string): string => `${service}\u0000${instance}`;

/**
 * How far a child may seem to end after its parent and still have been waited for. One process's span times can be
 * read at millisecond resolution: the OTel JS SDK takes each span's epoch offset from Date.now(), so a database call
 * that ended first shows up to 1 ms after the request that waited for it (a third of such calls in a real shop).
 * Without the slack those calls fall off the critical path and their time lands on the caller.
 */
const CLOCK_RESOLUTION_MS = 1.5;

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
    const op = span.receive && owner !== span.peer?.name ? QUEUE_WAIT : span.name;
    if (ms > 0 && op) {
      let ops = operationTime.get(owner);
      if (!ops) operationTime.set(owner, (ops = new Map()));
      ops.set(op, (ops.get(op) ?? 0) + ms);
    }
    if (ms > 0 && span.instance && owner === span.service && !isCaller(span.kind)) {
      const k = instanceKey(span.service, span.instance);
      instanceTime.set(k, (instanceTime.get(k) ?? 0) + ms);
    }
  };
  const calls = new Map<string, number>();
  const queueLag = new Map<string, { ms: number; messages: number; consumer: string }>();
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
  /**
   * Counts a call into a candidate (every call of the request, on its critical path or not: calls per request are
   * its load); a callee that is counted but never walked (off the path) still gets its ref.
   */
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

  /** Slack for clock rounding when a callee ends "before" its client (a timeout). */
  const toleranceOf = (span: TraceSpan): number => 0.1 + 0.001 * (span.end - span.start);

  /**
   * The children a span waited for: all of a client's (its server span, up to the moment it gave up), and a
   * non-client's that ended before it did, give or take the clock's resolution (one that outlives it was fire and
   * forget).
   */
  const awaitedOf = (span: TraceSpan): TraceSpan[] => {
    const limit = span.end + CLOCK_RESOLUTION_MS + 0.001 * (span.end - span.start);
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
    if (server && span.receive) {
      // A reply wait with the work it waited for: its own time (queue lag, reply delivery) is the worker's queue.
      note(server.service, 'service', childPath(path, server), span.spanId);
      return server.service;
    }
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
    if (span.queued) {
      const lag = queueLag.get(span.queued.queue) ?? { ms: 0, messages: 0, consumer: span.service };
      lag.ms += Math.max(0, span.start - span.queued.publishedAt);
      lag.messages++;
      queueLag.set(span.queued.queue, lag);
    }
    const owner = ownerOf(span, path);
    const awaited = depth >= MAX_DEPTH ? [] : awaitedOf(span).filter((c) => !walked.has(c.spanId));
    // Latest end first: walking back, the first child that started before `cur` is the one the span waited for,
    // and a child skipped once (started at or after `cur`) never qualifies again, as `cur` only moves back. One
    // pass, so a span with thousands of children (a batch job) stays linear after the sort.
    const byEnd = [...awaited].sort((x, y) => y.end - x.end);
    // A failed call with a later call to the same target was retried, even when calls to others ran in between.
    const lastStart = latestStartByTarget(awaited);
    let next = 0;
    let cur = hi;
    while (cur > lo) {
      while (next < byEnd.length && byEnd[next]!.start >= cur) next++;
      const best = byEnd[next++];
      if (!best) {
        chargeOwn(span, owner, cur - lo);
        break;
      }
      const e = Math.max(Math.min(best.end, cur), lo);
      const s = Math.max(best.start, lo);
      const retried = isRetried(best, lastStart);
      if (retried !== undefined) {
        // A failed attempt that was retried: all of it, and the backoff after it, is the failure's origin's doing.
        const origin = errorOrigin(best, childPath(path, best));
        charge(origin, cur - s);
      } else {
        if (cur > e) chargeOwn(span, owner, cur - e);
        if (e > s) walk(best, s, e, childPath(path, best), depth + 1);
      }
      cur = s;
    }
  };

  /**
   * The callee of a failed call that a later call to the same callee retries (a failed delivery of a message
   * delivered again is the same: a redelivery), or undefined.
   */
  const isRetried = (before: TraceSpan, lastStart: Map<string, number>): string | undefined => {
    if (!before.failed) return undefined;
    const target = callTarget(before);
    return target !== undefined && (lastStart.get(target) ?? -Infinity) >= before.end ? target : undefined;
  };

  /** The node a call goes to (a consumer's service for a delivery), to tell a retry from another call. */
  const callTarget = (c: TraceSpan): string | undefined =>
    isCaller(c.kind) ? targetOf(c) : c.kind === SpanKind.CONSUMER ? c.service : undefined;

  /** When the last call to each target started, among some sibling spans. */
  const latestStartByTarget = (spans: readonly TraceSpan[]): Map<string, number> => {
    const out = new Map<string, number>();
    for (const c of spans) {
      const t = callTarget(c);
      if (t !== undefined) out.set(t, Math.max(out.get(t) ?? -Infinity, c.start));
    }
    return out;
  };

  /**
   * Every call the request made, except attempts that failed and were tried again (a retried call, a redelivered
   * message): those are the callee's failures, not load.
   */
  const counted = new Set<string>();
  const countCalls = (span: TraceSpan, path: string[], depth: number): void => {
    counted.add(span.spanId);
    if (depth >= MAX_DEPTH) return;
    const kids = childrenOf(span.spanId);
    const lastStart = latestStartByTarget(kids);
    for (const c of kids) {
      if (counted.has(c.spanId)) continue;
      if (isRetried(c, lastStart) !== undefined) {
        counted.add(c.spanId);
        continue;
      }
      const p = childPath(path, c);
      if (isCallee(c.kind) && c.service !== span.service) count(c.service, 'service', p);
      else if (isCaller(c.kind) && !serverOf(c) && c.peer) count(c.peer.name, c.peer.kind, [...path, c.peer.name]);
      countCalls(c, p, depth + 1);
    }
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
  countCalls(entry, [entry.service], 0);
  return {
    durationMs: entry.end - entry.start,
    failed: entry.failed,
    time,
    calls,
    errorOrigin: entry.failed ? errorOrigin(entry, [entry.service]) : undefined,
    spanIds,
    instanceTime,
    operationTime,
    queueLag,
  };
}
