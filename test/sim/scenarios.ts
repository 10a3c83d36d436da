/**
 * Seeded incident scenarios for RCA evaluation: one fault (the truth) per scenario, the way incidents propagate in
 * real systems (retries, timeouts, N+1 callers, parallel fan-out, async children, partial instrumentation, thin
 * traffic), red herrings in every one (a chronically failing service, a heavy-tailed one, a noisy neighbour), and a
 * second system with its own incident in the same store. Topologies and fault kinds are data; nothing here knows how
 * faultline ranks. A fault is kept only if the alerting service would notice it (its mean latency +25% or its error
 * rate +2 points over a quick simulation): an alert that could not fire is no scenario. A noisy neighbour that would
 * itself add about as much as the fault is left out: the scenario would have two causes and no single truth.
 */
import { generateTopology } from './generated-topology.js';
import { Random } from './random.js';
import { simulate, type Fault } from './simulate.js';
import { ciPipeline, marketplace, platform, rabbitQueue, shop, type Call, type Topology } from './topology.js';

export const FAULT_KINDS = [
  'latency',
  'errors',
  'dependency',
  'network',
  'retry',
  'timeout',
  'n+1',
  'fanout',
  'self',
  'async',
  'thin',
  'uninstrumented',
  'deploy',
  // Kinds real incidents have that the ranking may not handle yet (issue 24): reported per kind even when low.
  'two-causes',
  'rare-path',
  'gradual',
  'no-baseline',
  'batch-herring',
  'shared-dependency',
  'tail-sampled',
  // Issue 28: slow edges that share a node.
  'saturation',
  'egress',
  'replica',
  // Issue 29: a paused or throttled process stretches its own time and every call it makes.
  'paused',
  // Issue 28: work behind a queue, load with an origin upstream, failures hidden by retries.
  'queue-reply',
  'poison',
  'cache-miss',
  'hidden-retry',
  'load-deploy',
] as const;
export type FaultKindName = (typeof FAULT_KINDS)[number];

export interface Scenario {
  /** Position in the generated list: seeds derive from it, so a filtered run reproduces the same data. */
  index: number;
  name: string;
  kind: FaultKindName;
  topology: Topology;
  /** The service the P99 alert fires for. */
  alertService: string;
  /** Faults active only in the incident window. */
  faults: Fault[];
  /** Faults active in both windows (red herrings: slow or failing all along). */
  chronic: Fault[];
  /** The candidate that should rank first: a node name, or `client -> server` for an edge. */
  truth: string;
  truthKind: 'service' | 'database' | 'messaging' | 'external' | 'edge';
  /** Entry requests in the baseline hour and in the 15-minute window. */
  baselineRequests: number;
  windowRequests: number;
  /** Another system in the same store at the same time, with an incident of its own. */
  neighbour: { topology: Topology; faults: Fault[]; environment?: string };
  /** deployment.environment.name of the system under test (set when the neighbour is its own staging copy). */
  environment?: string;
  /** service.version of some services in the baseline and in the window (the 'deploy' kind). */
  versions?: { baseline: Record<string, string>; window: Record<string, string> };
  /** A second independent cause ('two-causes'): both must rank in the top 3. */
  alsoTruth?: string;
  /**
   * How the system's SDK stamps spans (every other scenario: a Node.js shop, whose span starts have millisecond
   * resolution, with handlers that return what their last call gave): absent, exact times.
   */
  sdk?: { clockResolutionMs: number; returnAfterLastCall: boolean };
  /** The system as it runs in the window, when it differs ('no-baseline': a service deployed since). */
  windowTopology?: Topology;
  /** Tail sampling: only traces with an error are kept (and 5% of the others, as a probabilistic policy does). */
  sampling?: 'errors';
  /** The neighbour's own incident has the same origin ('shared-dependency'): it is analysed too. */
  neighbourAlert?: string;
}

/** Schedules are relative to the start of the scenario's baseline hour; the window is its 60th to 75th minute. */
const MIN = 60_000;

interface System {
  topology: Topology;
  alert: string;
}

const SYSTEMS: System[] = [
  { topology: ciPipeline, alert: 'builder' },
  { topology: shop, alert: 'frontend' },
  { topology: platform, alert: 'edge' },
  { topology: marketplace, alert: 'api-gateway' },
  { topology: generateTopology(7, 16, 2), alert: 'svc-00' },
  // A second generated system, in the tuning part (the first is always held out): shared callees to study.
  { topology: generateTopology(23, 14, 2, 4, 'mesh-14x2'), alert: 'svc-00' },
];

export const SCENARIO_TOPOLOGIES = SYSTEMS.map((s) => s.topology.name);

interface Reach {
  services: string[];
  deps: string[];
  /** Service -> service call edges. */
  edges: [string, string][];
}

/** Services reachable from `from` (including it), the uninstrumented dependencies they call, and the edges. */
export function downstream(t: Topology, from: string): Reach {
  const services = new Set<string>([from]);
  const deps = new Set<string>();
  const edges: [string, string][] = [];
  const queue = [from];
  while (queue.length > 0) {
    const s = queue.shift()!;
    for (const op of t.services[s]!.operations) {
      for (const c of op.calls) {
        if (t.dependencies?.[c.to]) deps.add(c.to);
        else {
          if (!edges.some(([a, b]) => a === s && b === c.to)) edges.push([s, c.to]);
          if (!services.has(c.to)) {
            services.add(c.to);
            queue.push(c.to);
          }
        }
      }
    }
  }
  return { services: [...services], deps: [...deps], edges };
}

const clone = (t: Topology): Topology => structuredClone(t);
const callersOf = (t: Topology, to: string): string[] =>
  Object.keys(t.services).filter((s) => t.services[s]!.operations.some((o) => o.calls.some((c) => c.to === to)));
const callsOf = (t: Topology, from: string, to: string): Call[] =>
  t.services[from]!.operations.flatMap((o) => o.calls.filter((c) => c.to === to));

interface Draft {
  topology: Topology;
  faults: Fault[];
  truth: string;
  truthKind: Scenario['truthKind'];
  requestScale: number;
  versions?: Scenario['versions'];
  /** Nodes the red herrings must leave alone. */
  exclude: string[];
  alsoTruth?: string;
  windowTopology?: Topology;
  sampling?: 'errors';
  /** Faults active in both periods that belong to the kind (a periodic batch job). */
  chronic?: Fault[];
  /** A dependency the neighbour system shares, with its fault. */
  shared?: { key: string; fault: Fault };
}

/** One attempt at a scenario of `kind`; undefined when this topology cannot host it. */
function draft(kind: FaultKindName, sys: System, rnd: Random): Draft | undefined {
  const t = clone(sys.topology);
  const d = downstream(t, sys.alert);
  const below = d.services.filter((s) => s !== sys.alert);
  const pick = <T>(xs: T[]): T | undefined => (xs.length === 0 ? undefined : xs[rnd.int(xs.length)]);
  const svc = (s: string, faults: Fault[], extra: Partial<Draft> = {}): Draft => ({
    topology: t,
    faults,
    truth: s,
    truthKind: 'service',
    requestScale: 1,
    exclude: [s],
    ...extra,
  });
  switch (kind) {
    case 'latency': {
      const s = pick(below);
      return s ? svc(s, [{ kind: 'latency', service: s, factor: 3 + rnd.int(8) }]) : undefined;
    }
    case 'errors': {
      const s = pick(below);
      return s ? svc(s, [{ kind: 'errors', service: s, rate: 0.1 + rnd.next() * 0.25 }]) : undefined;
    }
    case 'deploy': {
      // A new version of one service is slow; another service deployed at the same time is fine.
      const s = pick(below);
      const harmless = pick(d.services.filter((x) => x !== s));
      if (!s || !harmless) return undefined;
      return svc(s, [{ kind: 'latency', service: s, factor: 3 + rnd.int(6) }], {
        versions: { baseline: { [s]: '1.8.2', [harmless]: '2.0.0' }, window: { [s]: '1.9.0', [harmless]: '2.1.0' } },
      });
    }
    case 'self':
      return svc(sys.alert, [{ kind: 'latency', service: sys.alert, factor: 2 + rnd.next() * 3 }]);
    case 'thin': {
      const s = pick(below);
      return s ? svc(s, [{ kind: 'latency', service: s, factor: 3 + rnd.int(6) }], { requestScale: 0.2 }) : undefined;
    }
    case 'dependency': {
      const dep = pick(d.deps);
      if (!dep) return undefined;
      const spec = t.dependencies![dep]!;
      return {
        topology: t,
        faults: [{ kind: 'dependency', dependency: dep, factor: 4 + rnd.int(7), errorRate: rnd.chance(0.3) ? 0.1 : 0 }],
        truth: spec.node,
        truthKind: spec.kind,
        requestScale: 1,
        exclude: [],
      };
    }
    case 'network': {
      const e = pick(d.edges);
      if (!e) return undefined;
      const [from, to] = e;
      return {
        topology: t,
        faults: [{ kind: 'network', from, to, addMs: 20 + rnd.next() * 200 }],
        truth: `${from} -> ${to}`,
        truthKind: 'edge',
        requestScale: 1,
        exclude: [from, to],
      };
    }
    case 'retry': {
      // The callee fails; its caller retries with backoff, so the caller's latency and errors rise.
      const e = pick(d.edges);
      if (!e) return undefined;
      const [from, to] = e;
      for (const c of callsOf(t, from, to)) Object.assign(c, { retries: 2 + rnd.int(2), backoffMs: 20 + rnd.int(80) });
      return svc(to, [{ kind: 'errors', service: to, rate: 0.2 + rnd.next() * 0.3 }], { exclude: [from, to] });
    }
    case 'timeout': {
      // The callee slows past its caller's client timeout (2-3x its usual latency); the caller gives up and retries.
      const e = pick(d.edges);
      if (!e) return undefined;
      const [from, to] = e;
      const usual = meanLatencies(t, [], 3, 40).get(to) ?? 10;
      for (const c of callsOf(t, from, to))
        Object.assign(c, { timeoutMs: usual * (2 + rnd.next()), retries: 1 + rnd.int(2), backoffMs: 10 + rnd.int(40) });
      const self = t.services[to]!.operations[0]!.selfMs;
      return svc(to, [{ kind: 'latency', service: to, factor: Math.min(60, Math.max(4, (6 * usual) / self)) }], { exclude: [from, to] });
    }
    case 'n+1': {
      // The callee is called 10-50 times per request of its caller (in both windows); per call it gets 30-80% slower.
      const e = pick(d.edges);
      if (!e) return undefined;
      const [from, to] = e;
      for (const c of callsOf(t, from, to)) c.repeat = 10 + rnd.int(41);
      return svc(to, [{ kind: 'latency', service: to, factor: 1.3 + rnd.next() * 0.5 }], { exclude: [from, to] });
    }
    case 'fanout': {
      // Two children called in parallel: the slower one (on the critical path) gets 40-80% slower; the faster one
      // triples its self time but still finishes first, so it adds nothing (a percentile-ratio trap).
      const ops = d.services
        .flatMap((s) => t.services[s]!.operations.map((o) => ({ s, o })))
        .filter(({ o }) => o.calls.filter((c) => t.services[c.to]).length >= 2);
      const choice = pick(ops);
      if (!choice) return undefined;
      const children = choice.o.calls.filter((c) => t.services[c.to]);
      for (const c of children) c.parallelGroup = 99;
      const usual = meanLatencies(t, [], 3, 40);
      const sorted = [...new Set(children.map((c) => c.to))].sort((a, b) => (usual.get(b) ?? 0) - (usual.get(a) ?? 0));
      const [slow, fast] = sorted;
      if (!slow || !fast || slow === choice.s || fast === choice.s) return undefined;
      const herring = Math.min(3, (0.7 * (usual.get(slow) ?? 1)) / Math.max(0.1, usual.get(fast) ?? 1));
      // Big enough for the alert to notice: +40-80%, or more when the child is a small part of the request.
      const share = (usual.get(sys.alert) ?? 1) / t.services[slow]!.operations[0]!.selfMs;
      const factor = Math.min(10, 1 + Math.max(0.4 + rnd.next() * 0.4, 0.4 * share));
      const faults: Fault[] = [{ kind: 'latency', service: slow, factor }];
      if (herring > 1.2) faults.push({ kind: 'latency', service: fast, factor: herring });
      return svc(slow, faults, { exclude: [slow, fast] });
    }
    case 'async': {
      // A fire-and-forget child gets 10x slower (nobody waits for it); the real fault is elsewhere.
      // The async callee must have no other (waiting) caller, or its slowdown would be a real cause.
      const e = pick(d.edges.filter(([from, to]) => to !== sys.alert && callersOf(t, to).every((c) => c === from)));
      if (!e) return undefined;
      const [from, to] = e;
      for (const c of callsOf(t, from, to)) c.async = true;
      const afterAsync = downstream(t, to).services;
      const s = pick(below.filter((x) => !afterAsync.includes(x)));
      if (!s) return undefined;
      return svc(
        s,
        [
          { kind: 'latency', service: s, factor: 3 + rnd.int(5) },
          { kind: 'latency', service: to, factor: 10 },
        ],
        { exclude: [s, to] },
      );
    }
    case 'two-causes': {
      // Two independent slowdowns at once, neither explaining the other.
      const [a, b] = rnd.shuffle([...below]);
      if (!a || !b) return undefined;
      return svc(
        a,
        [
          { kind: 'latency', service: a, factor: 3 + rnd.int(5) },
          { kind: 'latency', service: b, factor: 3 + rnd.int(5) },
        ],
        { alsoTruth: b, exclude: [a, b] },
      );
    }
    case 'rare-path': {
      // A new endpoint of the alerting service, 5% of its requests, calls one service's own operation; that
      // operation gets 20x slower. The common path is untouched.
      const s = pick(below);
      if (!s) return undefined;
      const usual = meanLatencies(t, [], 3, 40).get(sys.alert) ?? 50;
      t.services[s]!.operations.push({ name: 'export', selfMs: Math.max(1, usual / 4), calls: [] });
      const alertOps = t.services[sys.alert]!.operations;
      alertOps.push({ name: 'GET /export', selfMs: alertOps[0]!.selfMs, calls: [{ to: s, op: 'export' }] });
      const total = t.entries.reduce((x, e) => x + e.weight, 0);
      t.entries.push({ service: sys.alert, op: 'GET /export', weight: (total * 0.05) / 0.95 });
      return svc(s, [{ kind: 'latency', service: s, operation: 'export', factor: 20 }]);
    }
    case 'gradual': {
      // Slower by the hour: the factor grows from 1 at the baseline's start to its full value at the window's end,
      // so the baseline is already worse than normal.
      const s = pick(below);
      return s
        ? svc(s, [{ kind: 'latency', service: s, factor: 4 + rnd.int(6), schedule: { kind: 'ramp', fromMs: 0, toMs: 75 * MIN } }])
        : undefined;
    }
    case 'no-baseline': {
      // A service deployed since the baseline (no spans of it before the window) is slow.
      const s = pick(d.services);
      if (!s) return undefined;
      const usual = meanLatencies(t, [], 3, 40).get(sys.alert) ?? 50;
      const w = clone(t);
      w.services['fresh-ranker'] = { operations: [{ name: 'Rank', selfMs: Math.max(5, usual * 0.8), calls: [] }] };
      w.services[s]!.operations[0]!.calls.push({ to: 'fresh-ranker' });
      return { ...svc('fresh-ranker', []), windowTopology: w, exclude: [s] };
    }
    case 'batch-herring': {
      // A batch job makes a shared database 10x slow for 5 minutes every hour (in the baseline and in the window);
      // the real fault is elsewhere.
      const dep = pick(d.deps);
      const s = pick(below);
      if (!dep || !s) return undefined;
      return svc(s, [{ kind: 'latency', service: s, factor: 3 + rnd.int(5) }], {
        chronic: [
          {
            kind: 'dependency',
            dependency: dep,
            factor: 10,
            schedule: { kind: 'periodic', periodMs: 60 * MIN, offsetMs: 5 * MIN, onMs: 5 * MIN },
          },
        ],
      });
    }
    case 'shared-dependency': {
      // A database both this system and its neighbour use gets slow: each system pages, both must name it.
      const dep = pick(d.deps);
      if (!dep) return undefined;
      const spec = t.dependencies![dep]!;
      return {
        topology: t,
        faults: [{ kind: 'dependency', dependency: dep, factor: 4 + rnd.int(7) }],
        truth: spec.node,
        truthKind: spec.kind,
        requestScale: 1,
        exclude: [],
        shared: { key: dep, fault: { kind: 'dependency', dependency: dep, factor: 6 } },
      };
    }
    case 'tail-sampled': {
      // Tail sampling keeps the traces with an error: the baseline and the window hold mostly failed requests.
      const s = pick(below);
      return s ? svc(s, [{ kind: 'errors', service: s, rate: 0.1 + rnd.next() * 0.25 }], { sampling: 'errors' }) : undefined;
    }
    case 'saturation': {
      // Requests queue before one service's handler: every call into it is slower, its own spans are not.
      const s = pick(below.filter((x) => callersOf(t, x).length >= 2));
      if (!s) return undefined;
      const addMs = 20 + rnd.next() * 150;
      return svc(
        s,
        callersOf(t, s).map((from): Fault => ({ kind: 'network', from, to: s, addMs })),
        { exclude: [s, ...callersOf(t, s)] },
      );
    }
    case 'egress': {
      // One service's outgoing calls are all slower (its resolver, connection setup); its callees are fine.
      const calleesOf = (x: string) =>
        [...new Set(t.services[x]!.operations.flatMap((o) => o.calls.map((c) => c.to)))].filter((c) => t.services[c]);
      const s = pick(d.services.filter((x) => calleesOf(x).length >= 2));
      if (!s) return undefined;
      const addMs = 20 + rnd.next() * 150;
      return svc(
        s,
        calleesOf(s).map((to): Fault => ({ kind: 'network', from: s, to, addMs })),
        { exclude: [s, ...calleesOf(s)] },
      );
    }
    case 'paused': {
      // A service whose process stalls (CPU throttling, GC, SIGSTOP): its own time and each call out of it stretch,
      // its callees' own spans do not.
      const calleesOf = (x: string) =>
        [...new Set(t.services[x]!.operations.flatMap((o) => o.calls.map((c) => c.to)))].filter((c) => t.services[c]);
      const s = pick(below.filter((x) => calleesOf(x).length >= 1));
      if (!s) return undefined;
      const addMs = 10 + rnd.next() * 60;
      return svc(
        s,
        [
          { kind: 'latency', service: s, factor: 2 + rnd.next() * 2 },
          ...calleesOf(s).map((to): Fault => ({ kind: 'network', from: s, to, addMs })),
        ],
        { exclude: [s, ...calleesOf(s)] },
      );
    }
    case 'replica': {
      // One of three instances of a service gets slow; the other two are fine.
      const s = pick(below);
      if (!s) return undefined;
      t.services[s]!.replicas = 3;
      return svc(s, [{ kind: 'latency', service: s, factor: 5 + rnd.int(8), replica: 1 }]);
    }
    case 'queue-reply':
    case 'poison': {
      // A service hands work to a worker through a queue and waits for the reply; the worker (or its database)
      // gets slow, or fails on a message that is delivered again and again.
      const s = pick(d.services);
      if (!s) return undefined;
      const usual = meanLatencies(t, [], 3, 40).get(sys.alert) ?? 50;
      addJobWorker(t, s, Math.max(5, usual * 0.3), rnd);
      if (kind === 'poison') {
        const q = t.services[s]!.operations[0]!.calls.at(-1)!.queue!;
        Object.assign(q, { redeliveries: 2 + rnd.int(2), redeliveryMs: Math.max(50, usual * (0.5 + rnd.next())) });
        return svc('job-worker', [{ kind: 'errors', service: 'job-worker', rate: 0.15 + rnd.next() * 0.25 }]);
      }
      if (rnd.chance(0.4)) {
        return {
          ...svc('jobs-db', [{ kind: 'dependency', dependency: 'jobs-db', factor: 4 + rnd.int(6) }]),
          truthKind: 'database',
          exclude: ['job-worker'],
        };
      }
      return svc('job-worker', [{ kind: 'latency', service: 'job-worker', factor: 3 + rnd.int(5) }]);
    }
    case 'cache-miss': {
      // A cache-aside read (GET the cache; on a miss SELECT the database and SET back) whose hit rate falls from
      // ~96% to 5-20%: the cache answers faster (empty), the database gets ~10x the calls and slows under them.
      const s = pick(d.services);
      if (!s) return undefined;
      const usual = meanLatencies(t, [], 3, 40).get(sys.alert) ?? 50;
      t.dependencies = {
        ...t.dependencies,
        'hot-cache': {
          kind: 'database',
          node: 'hot-cache',
          attributes: { 'db.system': 'redis', 'server.address': 'hot-cache' },
          latencyMs: Math.max(0.5, usual * 0.01),
          hitRate: 0.96,
        },
        'fallback-db': {
          kind: 'database',
          node: 'fallback-db',
          attributes: { 'db.system': 'postgresql', 'server.address': 'fallback-db', 'db.namespace': 'fallback' },
          latencyMs: Math.max(3, usual * (0.3 + rnd.next() * 0.3)),
        },
      };
      t.services[s]!.operations[0]!.calls.push(
        { to: 'hot-cache' },
        { to: 'fallback-db', onMissOf: 'hot-cache' },
        { to: 'hot-cache', onMissOf: 'hot-cache' },
      );
      return {
        ...svc('hot-cache', [
          { kind: 'cache', dependency: 'hot-cache', hitRate: 0.05 + rnd.next() * 0.15 },
          { kind: 'dependency', dependency: 'fallback-db', factor: 1.5 + rnd.next() * 1.5 },
        ]),
        truthKind: 'database',
        exclude: [s],
      };
    }
    case 'hidden-retry': {
      // The callee fails 2-5% of its calls; the caller retries with long exponential backoff until one succeeds:
      // no request fails at the top, the callee's P99 does not move, the caller's tail jumps.
      const e = pick(d.edges);
      if (!e) return undefined;
      const [from, to] = e;
      const usual = meanLatencies(t, [], 3, 40).get(sys.alert) ?? 50;
      for (const c of callsOf(t, from, to)) Object.assign(c, { retries: 4, backoffMs: usual * (8 + rnd.int(8)) });
      return svc(to, [{ kind: 'errors', service: to, rate: 0.02 + rnd.next() * 0.03 }], { exclude: [from, to] });
    }
    case 'load-deploy': {
      // A new version of a service reads a database 5-10x per request (a new code path, a lost batching); the
      // database slows a little under the load. The deploy is the origin, the database is affected.
      const withDb = d.services.flatMap((x) =>
        t.services[x]!.operations[0]!.calls.filter((c) => t.dependencies?.[c.to]?.kind === 'database').map((c) => [x, c.to] as const),
      );
      const choice = pick(withDb);
      if (!choice) return undefined;
      const [s, dep] = choice;
      const w = clone(t);
      for (const c of w.services[s]!.operations[0]!.calls) if (c.to === dep) c.repeat = (c.repeat ?? 1) * (5 + rnd.int(6));
      return {
        ...svc(s, [{ kind: 'dependency', dependency: dep, factor: 1.3 + rnd.next() * 0.7 }]),
        windowTopology: w,
        versions: { baseline: { [s]: '2.3.1' }, window: { [s]: '2.4.0' } },
      };
    }
    case 'uninstrumented': {
      // A leaf service without instrumentation: its callers see it only by server.address.
      const leaves = below.filter((s) => t.services[s]!.operations.every((o) => o.calls.length === 0));
      const s = pick(leaves);
      if (!s) return undefined;
      t.services[s]!.instrumented = false;
      return {
        topology: t,
        faults: [{ kind: 'latency', service: s, factor: 4 + rnd.int(5) }],
        truth: s,
        truthKind: 'external',
        requestScale: 1,
        exclude: [s],
      };
    }
  }
}

/**
 * Adds a queue-fed worker (`job-worker`, with its own database `jobs-db`) that `caller` sends work to and waits for:
 * half the topologies link the worker's trace to the publish span, half make it a child.
 */
function addJobWorker(t: Topology, caller: string, selfMs: number, rnd: Random): void {
  t.dependencies = {
    ...t.dependencies,
    jobs: rabbitQueue('jobs'),
    replies: rabbitQueue('replies'),
    'jobs-db': {
      kind: 'database',
      node: 'jobs-db',
      attributes: { 'db.system': 'postgresql', 'server.address': 'jobs-db', 'db.namespace': 'jobs' },
      latencyMs: Math.max(2, selfMs * 0.5),
    },
  };
  t.services['job-worker'] = { operations: [{ name: 'process jobs', selfMs, calls: [{ to: 'jobs-db' }] }] };
  t.services[caller]!.operations[0]!.calls.push({
    to: 'job-worker',
    queue: { via: 'jobs', reply: 'replies', link: rnd.chance(0.5), lagMs: 2 + rnd.next() * 5 },
  });
}

/** Mean server-span latency (ms) per service over a short simulation. */
function meanLatencies(t: Topology, faults: Fault[], seed: number, requests: number): Map<string, number> {
  const sum = new Map<string, [number, number]>();
  for (const s of simulate(t, { seed, startMs: 0, durationMs: 60_000, requests, faults }).spans) {
    if (s.kind !== 2) continue;
    const a = sum.get(s.serviceName) ?? [0, 0];
    a[0] += s.durationNs / 1e6;
    a[1]++;
    sum.set(s.serviceName, a);
  }
  return new Map([...sum].map(([k, [total, n]]) => [k, total / n]));
}

/** What the alerting service's requests look like: mean latency and error rate. */
function symptom(t: Topology, alert: string, faults: Fault[], seed: number): { meanMs: number; errorRate: number } {
  let total = 0;
  let errors = 0;
  let n = 0;
  // Scheduled faults as they act at the window's end (its 74th minute after the baseline's start).
  for (const s of simulate(t, { seed, startMs: 0, durationMs: 60_000, requests: 600, faults, anchorMs: -74 * MIN }).spans) {
    if (s.serviceName !== alert || s.kind !== 2) continue;
    total += s.durationNs / 1e6;
    if (s.statusCode === 2) errors++;
    n++;
  }
  return { meanMs: n > 0 ? total / n : 0, errorRate: n > 0 ? errors / n : 0 };
}

/** Red herrings on services the truth does not involve: chronic errors, a heavy tail, a noisy neighbour. */
function redHerrings(t: Topology, alert: string, exclude: string[], rnd: Random): { chronic: Fault[]; noise: Fault[] } {
  const others = rnd.shuffle(
    downstream(t, alert).services.filter((s) => s !== alert && !exclude.includes(s) && t.services[s]!.instrumented !== false),
  );
  const chronic: Fault[] = [];
  const noise: Fault[] = [];
  const failing = others[0];
  if (failing) t.services[failing]!.errorRate = 0.05 + rnd.next() * 0.05;
  const heavy = others[1];
  if (heavy) t.services[heavy]!.sigma = 1.3;
  const noisy = others[2];
  if (noisy) noise.push({ kind: 'latency', service: noisy, factor: 1.3 });
  if (others[3] && rnd.chance(0.5)) chronic.push({ kind: 'latency', service: others[3], factor: 3 });
  return { chronic, noise };
}

/**
 * One of four, by a hash of `n` (the high bits of a multiplicative hash): a quarter of the scenarios, spread over the
 * kinds whatever their number (a plain `n % 4` picks the same kinds every round when the count is a multiple of 4).
 */
export const quarterOf = (n: number): number => (Math.imul(n + 1, 0x9e3779b1) >>> 16) % 4;

export function buildScenarios(count: number, seed = 2026): Scenario[] {
  const rnd = new Random(seed);
  const out: Scenario[] = [];
  /** The value of `i` when the current slot's first system was tried. */
  let tries = 0;
  for (let i = 0; out.length < count; i++) {
    const kind = FAULT_KINDS[out.length % FAULT_KINDS.length]!;
    // Each round of kinds starts a kind on the next system, and a system that cannot host it passes it on: every
    // kind meets every system that can host it over the rounds (a plain counter locks kinds to systems whenever the
    // number of kinds plus skips is a multiple of the number of systems).
    const round = Math.floor(out.length / FAULT_KINDS.length);
    const sysIndex = ((out.length % FAULT_KINDS.length) + round + i - tries) % SYSTEMS.length;
    const sys = SYSTEMS[sysIndex]!;
    let scenario: Scenario | undefined;
    for (let attempt = 0; attempt < 12 && !scenario; attempt++) {
      const dr = draft(kind, sys, rnd);
      if (!dr) break;
      // Would the alert notice the fault? Judged on the system before the red herrings go in: a heavy tail's noise
      // must not make an invisible fault look noticed.
      const clean = symptom(dr.topology, sys.alert, [], 17 + attempt);
      const faulty = symptom(dr.windowTopology ?? dr.topology, sys.alert, dr.faults, 17 + attempt);
      const noticed = faulty.meanMs > clean.meanMs * 1.25 || faulty.errorRate > clean.errorRate + 0.02;
      if (!noticed) continue;
      const bare = clone(dr.topology);
      const { chronic, noise } = redHerrings(dr.topology, sys.alert, dr.exclude, rnd);
      // The herrings act in the window too, when the window runs another version of the system.
      for (const [name, spec] of Object.entries(dr.topology.services)) {
        const w = dr.windowTopology?.services[name];
        if (w) Object.assign(w, { errorRate: spec.errorRate, sigma: spec.sigma });
      }
      // The noisy neighbour must stay noise: if it alone would add half as much as the fault (or 5% of the
      // alert's latency), the truth is no longer one cause, so it is left out.
      const noisy = symptom(bare, sys.alert, noise, 17 + attempt);
      const noiseMs = noisy.meanMs - clean.meanMs;
      if (noiseMs > 0.5 * Math.max(0, faulty.meanMs - clean.meanMs) || noiseMs > 0.05 * clean.meanMs) noise.length = 0;
      // Every fourth scenario shares the store with a staging copy of the same system, where a load test makes
      // another service slow: same service names, different environment.
      const staging = quarterOf(out.length) === 0 && !dr.shared;
      const n = staging ? sys : SYSTEMS[(sysIndex + 1 + rnd.int(SYSTEMS.length - 1)) % SYSTEMS.length]!;
      const nReach = downstream(n.topology, n.alert).services.filter((s) => s !== dr.truth);
      let neighbour: Scenario['neighbour'] = {
        topology: n.topology,
        faults: [{ kind: 'latency', service: nReach[1 + rnd.int(nReach.length - 1)] ?? n.alert, factor: 5 }],
        ...(staging ? { environment: 'staging' } : {}),
      };
      if (dr.shared) {
        // The neighbour's entry service calls the shared database too (same node, same attributes).
        const nt = clone(n.topology);
        nt.dependencies = { ...nt.dependencies, [dr.shared.key]: dr.topology.dependencies![dr.shared.key]! };
        nt.services[n.alert]!.operations.forEach((o) => o.calls.push({ to: dr.shared!.key }));
        neighbour = { topology: nt, faults: [dr.shared.fault] };
      }
      scenario = {
        index: out.length,
        name: `${sys.topology.name}#${out.length} ${kind}: ${dr.faults[0] ? describeFault(dr.faults[0]) : `new service ${dr.truth}`}`,
        kind,
        topology: dr.topology,
        alertService: sys.alert,
        faults: [...dr.faults, ...noise],
        chronic: [...chronic, ...(dr.chronic ?? [])],
        truth: dr.truth,
        truthKind: dr.truthKind,
        baselineRequests: Math.round(1800 * dr.requestScale),
        windowRequests: Math.round(450 * dr.requestScale),
        neighbour,
        ...(staging ? { environment: 'production' } : {}),
        ...(dr.versions ? { versions: dr.versions } : {}),
        ...(dr.alsoTruth ? { alsoTruth: dr.alsoTruth } : {}),
        ...(dr.windowTopology ? { windowTopology: dr.windowTopology } : {}),
        ...(dr.sampling ? { sampling: dr.sampling } : {}),
        ...(dr.shared ? { neighbourAlert: n.alert } : {}),
        ...(out.length % 2 === 1 ? { sdk: { clockResolutionMs: 1, returnAfterLastCall: true } } : {}),
      };
    }
    if (scenario) {
      out.push(scenario);
      tries = i + 1;
    }
    if (i > count * 20) throw new Error(`could not build ${count} scenarios (kind ${kind})`);
  }
  return out;
}

function describeFault(f: Fault): string {
  switch (f.kind) {
    case 'latency':
      return `${f.service} self time x${f.factor.toFixed(1)}`;
    case 'errors':
      return `${f.service} fails ${(f.rate * 100).toFixed(0)}%`;
    case 'dependency':
      return `${f.dependency} x${f.factor}${f.errorRate ? ' + errors' : ''}`;
    case 'network':
      return `network ${f.from} -> ${f.to} +${f.addMs.toFixed(0)} ms`;
    case 'cache':
      return `${f.dependency} hit rate ${(f.hitRate * 100).toFixed(0)}%`;
  }
}
