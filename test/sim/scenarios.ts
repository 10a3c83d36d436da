/**
 * Seeded incident scenarios for RCA evaluation: one fault (the truth) per scenario, plus red herrings and a second
 * healthy system sharing the store. Topologies and fault kinds are data; nothing here knows how faultline ranks.
 */
import { Random } from './random.js';
import type { Fault } from './simulate.js';
import { ciPipeline, platform, shop, type Topology } from './topology.js';

export interface Scenario {
  name: string;
  topology: Topology;
  /** The service the P99 alert fires for. */
  alertService: string;
  /** Faults active only in the incident window. */
  faults: Fault[];
  /** Faults active in both windows (red herrings: slow all along). */
  chronic: Fault[];
  /** The candidate that should rank first: a node name, or `client -> server` for an edge. */
  truth: string;
  truthKind: 'service' | 'database' | 'messaging' | 'external' | 'edge';
  /** Another system sending healthy traffic into the same store at the same time. */
  neighbour: Topology;
}

const SYSTEMS: { topology: Topology; alert: string }[] = [
  { topology: ciPipeline, alert: 'builder' },
  { topology: shop, alert: 'frontend' },
  { topology: platform, alert: 'edge' },
];

/** Services reachable from `from` (including it) and the uninstrumented dependencies they call. */
function downstream(t: Topology, from: string): { services: string[]; deps: string[]; edges: [string, string][] } {
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

export function buildScenarios(count: number, seed = 2026): Scenario[] {
  const rnd = new Random(seed);
  const out: Scenario[] = [];
  for (let i = 0; out.length < count; i++) {
    const sys = SYSTEMS[i % SYSTEMS.length]!;
    const t = sys.topology;
    const d = downstream(t, sys.alert);
    const neighbour = SYSTEMS[(i + 1) % SYSTEMS.length]!.topology;
    const kindRoll = rnd.int(10);
    let faults: Fault[];
    let truth: string;
    let truthKind: Scenario['truthKind'];
    if (kindRoll < 4) {
      const s = d.services[rnd.int(d.services.length)]!;
      faults = [{ kind: 'latency', service: s, factor: 3 + rnd.int(8) }];
      truth = s;
      truthKind = 'service';
    } else if (kindRoll < 6) {
      const s = d.services[1 + rnd.int(d.services.length - 1)]!;
      faults = [{ kind: 'errors', service: s, rate: 0.1 + rnd.next() * 0.25 }];
      truth = s;
      truthKind = 'service';
    } else if (kindRoll < 8 && d.deps.length > 0) {
      const dep = d.deps[rnd.int(d.deps.length)]!;
      faults = [{ kind: 'dependency', dependency: dep, factor: 4 + rnd.int(7), errorRate: rnd.chance(0.3) ? 0.1 : 0 }];
      truth = t.dependencies![dep]!.node;
      truthKind = t.dependencies![dep]!.kind;
    } else {
      const [from, to] = d.edges[rnd.int(d.edges.length)]!;
      const calleeMs = typicalMs(t, to);
      faults = [{ kind: 'network', from, to, addMs: Math.max(20, calleeMs * (2 + rnd.next() * 3)) }];
      truth = `${from} -> ${to}`;
      truthKind = 'edge';
    }
    const chronic: Fault[] = [];
    const others = d.services.filter((s) => s !== truth && !truth.includes(`${s} ->`) && !truth.endsWith(`-> ${s}`));
    if (rnd.chance(0.5) && others.length > 0) chronic.push({ kind: 'latency', service: others[rnd.int(others.length)]!, factor: 3 });
    if (rnd.chance(0.5) && others.length > 0) faults.push({ kind: 'latency', service: others[rnd.int(others.length)]!, factor: 1.3 }); // noisy neighbour
    out.push({ name: `${t.name}#${out.length}: ${describeFault(faults[0]!)}`, topology: t, alertService: sys.alert, faults, chronic, truth, truthKind, neighbour });
  }
  return out;
}

/** Rough median total latency of a service's first operation (self + sequential calls), for sizing network faults. */
function typicalMs(t: Topology, service: string, depth = 0): number {
  const op = t.services[service]!.operations[0]!;
  if (depth > 8) return op.selfMs;
  let total = op.selfMs;
  for (const c of op.calls) total += t.dependencies?.[c.to] ? t.dependencies[c.to]!.latencyMs : typicalMs(t, c.to, depth + 1);
  return total;
}

function describeFault(f: Fault): string {
  switch (f.kind) {
    case 'latency': return `${f.service} self time x${f.factor}`;
    case 'errors': return `${f.service} fails ${(f.rate * 100).toFixed(0)}%`;
    case 'dependency': return `${f.dependency} x${f.factor}${f.errorRate ? ' + errors' : ''}`;
    case 'network': return `network ${f.from} -> ${f.to} +${f.addMs.toFixed(0)} ms`;
  }
}
