/**
 * Seeded trace simulator: turns a topology (and optional faults) into spans with exact ground truth.
 * Span times come from the simulated clock, so a run is identical for the same seed.
 */
import { SpanKind, StatusCode, type Attributes, type Span, type SpanKindNumber, type SpanLink } from '../../src/span.js';
import { Random } from './random.js';
import type { Call, Operation, QueueCall, Topology } from './topology.js';

/**
 * When a fault acts, relative to the simulation's `anchorMs`: a ramp (the factor grows from 1 at `fromMs` to its
 * full value at `toMs`, full after: a gradual degradation), or a periodic burst (`onMs` of every `periodMs`, from
 * `offsetMs`: a batch job). Absent: always.
 */
export type FaultSchedule =
  { kind: 'ramp'; fromMs: number; toMs: number } | { kind: 'periodic'; periodMs: number; offsetMs: number; onMs: number };

export type Fault =
  /** Multiplies the self time of one service (all its operations, or one). */
  | { kind: 'latency'; service: string; factor: number; operation?: string; schedule?: FaultSchedule; replica?: number }
  /** Extra failure probability of one service's server spans. */
  | { kind: 'errors'; service: string; rate: number }
  /** Multiplies the latency of an uninstrumented dependency (as seen by its callers). */
  | { kind: 'dependency'; dependency: string; factor: number; errorRate?: number; schedule?: FaultSchedule }
  /** Adds delay on the network between two services (client side sees it, server side does not). */
  | { kind: 'network'; from: string; to: string; addMs: number }
  /** A cache's hit rate changes (a flushed or mis-keyed cache): misses answer fast and read through to the database. */
  | { kind: 'cache'; dependency: string; hitRate: number };

export interface SimulationOptions {
  seed: number;
  /** Wall-clock start of the simulated window, ms since epoch. */
  startMs: number;
  durationMs: number;
  /** Number of entry requests spread evenly over the window. */
  requests: number;
  faults?: Fault[];
  /** Probability a failing child makes its caller fail too. */
  errorPropagation?: number;
  /** deployment.environment.name on every resource (none when absent). */
  environment?: string;
  /** service.version of these services' resources (a bad deploy: one version in the baseline, another in the fault). */
  versions?: Record<string, string>;
  /** What fault schedules are relative to (ms since epoch; default `startMs`). */
  anchorMs?: number;
  /**
   * An SDK's clock: each span's start is stamped at this resolution and its duration kept, as the OTel JS SDK does
   * (its start from Date.now(), its end from the monotonic clock), so a child that ended first can be stamped after
   * its parent. Absent: exact times.
   */
  clockResolutionMs?: number;
  /** Handlers that return what their last call gave: all self time before the calls (default: half after). */
  returnAfterLastCall?: boolean;
}

export interface EdgeTruth {
  calls: number;
  errors: number;
}

export interface SimulationResult {
  spans: Span[];
  /** `client->server` -> calls and failed calls, as the client saw them. */
  edges: Map<string, EdgeTruth>;
  /** Node name -> kind ('service' or the dependency's kind). */
  nodes: Map<string, string>;
  traces: number;
}

interface Ctx {
  rnd: Random;
  topo: Topology;
  faults: Fault[];
  traceId: string;
  spans: Span[];
  edges: Map<string, EdgeTruth>;
  nodes: Map<string, string>;
  resources: Map<string, Attributes>;
  propagation: number;
  environment: string | undefined;
  versions: Record<string, string>;
  anchorMs: number;
  clockResolutionMs: number;
  returnAfterLastCall: boolean;
}

/** How much of a fault's factor applies at `ms` (0: none, 1: all). */
function faultStrength(schedule: FaultSchedule | undefined, ms: number, anchorMs: number): number {
  if (!schedule) return 1;
  const t = ms - anchorMs;
  if (schedule.kind === 'ramp') return Math.min(1, Math.max(0, (t - schedule.fromMs) / (schedule.toMs - schedule.fromMs)));
  const phase = (((t - schedule.offsetMs) % schedule.periodMs) + schedule.periodMs) % schedule.periodMs;
  return phase < schedule.onMs ? 1 : 0;
}

/** A multiplying factor scaled by the schedule's strength: 1 + (factor - 1) * strength. */
const scaled = (factor: number, schedule: FaultSchedule | undefined, ms: number, anchorMs: number): number =>
  1 + (factor - 1) * faultStrength(schedule, ms, anchorMs);

export function simulate(topo: Topology, opts: SimulationOptions): SimulationResult {
  const rnd = new Random(opts.seed);
  const ctx: Ctx = {
    rnd,
    topo,
    faults: opts.faults ?? [],
    traceId: '',
    spans: [],
    edges: new Map(),
    nodes: new Map(),
    resources: new Map(),
    propagation: opts.errorPropagation ?? 0.3,
    environment: opts.environment,
    versions: opts.versions ?? {},
    anchorMs: opts.anchorMs ?? opts.startMs,
    clockResolutionMs: opts.clockResolutionMs ?? 0,
    returnAfterLastCall: opts.returnAfterLastCall ?? false,
  };
  const totalWeight = topo.entries.reduce((s, e) => s + e.weight, 0);
  for (let i = 0; i < opts.requests; i++) {
    const start = opts.startMs + (opts.durationMs * (i + rnd.next())) / opts.requests;
    let pick = rnd.next() * totalWeight;
    const entry = topo.entries.find((e) => (pick -= e.weight) < 0) ?? topo.entries[0]!;
    ctx.traceId = rnd.hex(16);
    serve(ctx, entry.service, entry.op, start, '', SpanKind.SERVER);
  }
  return { spans: ctx.spans, edges: ctx.edges, nodes: ctx.nodes, traces: opts.requests };
}

/** Emits the server span of `service` and everything under it; returns its end time (ms) and whether it failed. */
function serve(
  ctx: Ctx,
  service: string,
  opName: string | undefined,
  startMs: number,
  parentSpanId: string,
  kind: SpanKindNumber,
  muted = false,
  links?: SpanLink[],
): { end: number; failed: boolean; spanId: string } {
  const spec = ctx.topo.services[service];
  if (!spec) throw new Error(`topology ${ctx.topo.name}: unknown service ${service}`);
  // An uninstrumented service emits nothing, and neither does anything below it (no context propagation).
  const silent = muted || spec.instrumented === false;
  if (!silent) ctx.nodes.set(service, 'service');
  const op: Operation = (opName ? spec.operations.find((o) => o.name === opName) : undefined) ?? spec.operations[0]!;
  const spanId = ctx.rnd.hex(8);
  const replica = spec.replicas !== undefined && spec.replicas > 1 ? ctx.rnd.int(spec.replicas) : undefined;
  const factor = ctx.faults.reduce(
    (f, x) =>
      x.kind === 'latency' &&
      x.service === service &&
      (!x.operation || x.operation === op.name) &&
      (x.replica === undefined || x.replica === replica)
        ? f * scaled(x.factor, x.schedule, startMs, ctx.anchorMs)
        : f,
    1,
  );
  const self = ctx.rnd.logNormal(op.selfMs, spec.sigma ?? 0.25) * factor;
  // Half the self time before the calls, half after (or all before, for a handler that returns its last call's answer).
  const before = ctx.returnAfterLastCall && op.calls.length > 0 ? self : self / 2;
  let t = startMs + before;
  let childFailed = false;
  // Cache dependencies whose read missed in this execution (their cache-aside fallbacks run).
  const missed = new Set<string>();
  const groups = groupCalls(op.calls);
  for (const group of groups) {
    let groupEnd = t;
    for (const call of group) {
      if (call.probability !== undefined && !ctx.rnd.chance(call.probability)) continue;
      if (call.onMissOf !== undefined && !missed.has(call.onMissOf)) continue;
      let ct = t;
      for (let k = 0; k < (call.repeat ?? 1); k++) {
        const r = callWithRetries(ctx, service, call, ct, spanId, silent, replica, missed);
        if (call.async) continue; // the caller neither waits nor sees the outcome
        ct = r.end;
        childFailed ||= r.failed;
      }
      groupEnd = Math.max(groupEnd, ct);
    }
    t = groupEnd;
  }
  const end = t + self - before;
  const extraErrors = ctx.faults.reduce((p, x) => (x.kind === 'errors' && x.service === service ? p + x.rate : p), 0);
  const failed = ctx.rnd.chance((spec.errorRate ?? 0) + extraErrors) || (childFailed && ctx.rnd.chance(ctx.propagation));
  if (!silent) {
    const span = makeSpan(ctx, service, op.name, kind, spanId, parentSpanId, startMs, end, failed, {}, replica);
    if (links) span.links = links;
    ctx.spans.push(span);
  }
  return { end, failed, spanId };
}

/** One logical call: an attempt, then up to `retries` more after a failure, with doubling backoff. */
function callWithRetries(
  ctx: Ctx,
  from: string,
  call: Call,
  startMs: number,
  parentSpanId: string,
  muted: boolean,
  replica: number | undefined,
  missed: Set<string>,
): { end: number; failed: boolean } {
  let t = startMs;
  let r = { end: t, failed: false };
  const attempts = 1 + (call.retries ?? 0);
  for (let a = 0; a < attempts; a++) {
    r = callOut(ctx, from, call, t, parentSpanId, muted, replica, missed);
    if (!r.failed) return r;
    t = r.end + (call.backoffMs ?? 0) * 2 ** a;
  }
  return r;
}

function callOut(
  ctx: Ctx,
  from: string,
  call: Call,
  startMs: number,
  parentSpanId: string,
  muted: boolean,
  replica: number | undefined,
  missed: Set<string>,
): { end: number; failed: boolean } {
  if (call.queue) return callThroughQueue(ctx, from, call, call.queue, startMs, parentSpanId, muted, replica);
  const clientId = ctx.rnd.hex(8);
  const dep = ctx.topo.dependencies?.[call.to];
  let end: number;
  let failed: boolean;
  let kind: SpanKindNumber = SpanKind.CLIENT;
  let attrs: Attributes = {};
  let name = `call ${call.to}`;
  let node = call.to;
  if (dep) {
    node = dep.node;
    if (!muted) ctx.nodes.set(dep.node, dep.kind);
    const fault = ctx.faults.find((f) => f.kind === 'dependency' && f.dependency === call.to);
    const factor = fault && fault.kind === 'dependency' ? scaled(fault.factor, fault.schedule, startMs, ctx.anchorMs) : 1;
    const extraErr = fault && fault.kind === 'dependency' ? (fault.errorRate ?? 0) : 0;
    let latency = ctx.rnd.logNormal(dep.latencyMs, 0.3) * factor;
    if (dep.hitRate !== undefined) {
      const cache = ctx.faults.find((f) => f.kind === 'cache' && f.dependency === call.to);
      const hitRate = cache && cache.kind === 'cache' ? cache.hitRate : dep.hitRate;
      if (!ctx.rnd.chance(hitRate)) {
        missed.add(call.to);
        latency *= 0.5; // an empty answer
      }
    }
    end = startMs + latency;
    failed = ctx.rnd.chance((dep.errorRate ?? 0) + extraErr);
    attrs = { ...dep.attributes };
    if (dep.kind === 'messaging') kind = SpanKind.PRODUCER;
    name = dep.spanName ?? (dep.kind === 'database' ? `${dep.attributes['db.system'] ?? 'db'} query` : name);
  } else {
    const net = ctx.rnd.logNormal(ctx.topo.networkMs ?? 1, 0.2) + networkFault(ctx, from, call.to);
    const r = serve(ctx, call.to, call.op, startMs + net / 2, clientId, SpanKind.SERVER, muted);
    end = r.end + net / 2;
    failed = r.failed;
    attrs = { 'server.address': call.to, 'http.request.method': 'POST' };
    if (ctx.topo.services[call.to]!.instrumented === false && !muted) ctx.nodes.set(call.to, 'external');
  }
  if (call.timeoutMs !== undefined && end - startMs > call.timeoutMs) {
    // The client gives up; the callee (if instrumented) finishes its span later, unaware.
    end = startMs + call.timeoutMs;
    failed = true;
  }
  if (muted) return { end, failed };
  const key = `${from}->${node}`;
  const truth = ctx.edges.get(key) ?? { calls: 0, errors: 0 };
  truth.calls++;
  if (failed) truth.errors++;
  ctx.edges.set(key, truth);
  ctx.spans.push(makeSpan(ctx, from, name, kind, clientId, parentSpanId, startMs, end, failed, attrs, replica));
  return { end, failed };
}

/** A message published to a queue and processed by a worker; with a reply queue, the caller's blocking wait for it. */
function callThroughQueue(
  ctx: Ctx,
  from: string,
  call: Call,
  q: QueueCall,
  startMs: number,
  parentSpanId: string,
  muted: boolean,
  replica: number | undefined,
): { end: number; failed: boolean } {
  const publish = messagingSpan(ctx, from, q.via, 'publish', SpanKind.PRODUCER, startMs, parentSpanId, muted, replica);
  let t = publish.end + ctx.rnd.logNormal(q.lagMs ?? 5, 0.4);
  let r = { end: t, failed: true, spanId: '' };
  for (let d = 0; d <= (q.redeliveries ?? 0) && r.failed; d++) {
    if (q.link) {
      // The worker starts its own trace, linked to the publish span.
      const traceId = ctx.traceId;
      ctx.traceId = ctx.rnd.hex(16);
      const link: SpanLink = { traceId, spanId: publish.spanId, traceState: '', attributes: {} };
      r = serve(ctx, call.to, call.op, t, '', SpanKind.CONSUMER, muted, [link]);
      if (q.reply && !r.failed) messagingSpan(ctx, call.to, q.reply, 'publish', SpanKind.PRODUCER, r.end, r.spanId, muted, undefined);
      ctx.traceId = traceId;
    } else {
      r = serve(ctx, call.to, call.op, t, publish.spanId, SpanKind.CONSUMER, muted);
      if (q.reply && !r.failed) messagingSpan(ctx, call.to, q.reply, 'publish', SpanKind.PRODUCER, r.end, r.spanId, muted, undefined);
    }
    t = r.end + (q.redeliveryMs ?? 100);
  }
  if (!q.reply) return { end: publish.end, failed: publish.failed };
  // The blocking receive: from the publish until the reply arrives (or, when every delivery failed, a timeout).
  const end = r.failed ? t : r.end + ctx.rnd.logNormal(ctx.topo.dependencies![q.reply]!.latencyMs, 0.3) * 2;
  const receive = messagingSpan(ctx, from, q.reply, 'receive', SpanKind.CLIENT, publish.end, parentSpanId, muted, replica, end, r.failed);
  return { end: receive.end, failed: receive.failed };
}

/** A publish (PRODUCER) or a blocking receive (CLIENT) span on a messaging dependency. */
function messagingSpan(
  ctx: Ctx,
  from: string,
  queue: string,
  operation: 'publish' | 'receive',
  kind: SpanKindNumber,
  startMs: number,
  parentSpanId: string,
  muted: boolean,
  replica: number | undefined,
  endMs?: number,
  failed = false,
): { end: number; failed: boolean; spanId: string } {
  const dep = ctx.topo.dependencies?.[queue];
  if (!dep) throw new Error(`topology ${ctx.topo.name}: unknown queue ${queue}`);
  const spanId = ctx.rnd.hex(8);
  const fault = ctx.faults.find((f) => f.kind === 'dependency' && f.dependency === queue);
  const factor = fault && fault.kind === 'dependency' ? scaled(fault.factor, fault.schedule, startMs, ctx.anchorMs) : 1;
  const end = endMs ?? startMs + ctx.rnd.logNormal(dep.latencyMs, 0.3) * factor;
  if (muted) return { end, failed, spanId };
  ctx.nodes.set(dep.node, dep.kind);
  const attrs: Attributes = { ...dep.attributes, 'messaging.operation.type': operation };
  const name = `${operation} ${dep.attributes['messaging.destination.name'] ?? queue}`;
  ctx.spans.push(makeSpan(ctx, from, name, kind, spanId, parentSpanId, startMs, end, failed, attrs, replica));
  return { end, failed, spanId };
}

function networkFault(ctx: Ctx, from: string, to: string): number {
  return ctx.faults.reduce((s, f) => (f.kind === 'network' && f.from === from && f.to === to ? s + f.addMs : s), 0);
}

function groupCalls(calls: Call[]): Call[][] {
  const groups: Call[][] = [];
  const byGroup = new Map<number, Call[]>();
  for (const c of calls) {
    if (c.parallelGroup === undefined) groups.push([c]);
    else {
      let g = byGroup.get(c.parallelGroup);
      if (!g) {
        g = [];
        byGroup.set(c.parallelGroup, g);
        groups.push(g);
      }
      g.push(c);
    }
  }
  return groups;
}

function makeSpan(
  ctx: Ctx,
  service: string,
  name: string,
  kind: SpanKindNumber,
  spanId: string,
  parentSpanId: string,
  startMs: number,
  endMs: number,
  failed: boolean,
  attributes: Attributes,
  replica: number | undefined,
): Span {
  const resourceKey = replica === undefined ? service : `${service}#${replica}`;
  let resource = ctx.resources.get(resourceKey);
  if (!resource) {
    resource = {
      'service.name': service,
      ...(replica !== undefined ? { 'service.instance.id': `${service}-${replica}` } : {}),
      'telemetry.sdk.language': 'simulated',
      ...(ctx.environment ? { 'deployment.environment.name': ctx.environment } : {}),
      ...(ctx.versions[service] ? { 'service.version': ctx.versions[service] } : {}),
    };
    ctx.resources.set(resourceKey, resource);
  }
  const stampedStart = ctx.clockResolutionMs > 0 ? Math.floor(startMs / ctx.clockResolutionMs) * ctx.clockResolutionMs : startMs;
  const startNs = BigInt(Math.round(stampedStart * 1000)) * 1000n;
  const endNs = BigInt(Math.round((endMs - (startMs - stampedStart)) * 1000)) * 1000n;
  return {
    traceId: ctx.traceId,
    spanId,
    parentSpanId,
    traceState: '',
    name,
    kind,
    startNs,
    endNs,
    durationNs: Number(endNs - startNs),
    statusCode: failed ? StatusCode.ERROR : StatusCode.UNSET,
    statusMessage: failed ? 'simulated failure' : '',
    serviceName: service,
    resource,
    scopeName: 'faultline-sim',
    scopeVersion: '1',
    attributes,
    // As SDKs record an exception: an event at the end of the failed span.
    events: failed
      ? [{ timeNs: endNs, name: 'exception', attributes: { 'exception.type': 'SimulatedError', 'exception.message': 'simulated failure' } }]
      : undefined,
  };
}
