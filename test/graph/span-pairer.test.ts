import { describe, expect, it } from 'vitest';
import type { EdgeCall, PairingListener, SpanTiming } from '../../src/graph/edge-call.js';
import { SpanPairer, selfTime } from '../../src/graph/span-pairer.js';
import type { Span } from '../../src/span.js';
import { Random } from '../sim/random.js';
import { simulate, type EdgeTruth } from '../sim/simulate.js';
import { ciPipeline, platform, shop, type Topology } from '../sim/topology.js';

function collect() {
  const edges: EdgeCall[] = [];
  const selfTimes: SpanTiming[] = [];
  let unpaired = 0;
  let evicted = 0;
  const listener: PairingListener = {
    onEdge: (c) => edges.push(c),
    onSpanTiming: (s) => selfTimes.push(s),
    onUnpaired: () => unpaired++,
    onEvicted: (n) => (evicted += n),
  };
  return { listener, edges, selfTimes, unpaired: () => unpaired, evicted: () => evicted };
}

function edgeTable(edges: EdgeCall[]): Map<string, EdgeTruth> {
  const m = new Map<string, EdgeTruth>();
  for (const e of edges) {
    const k = `${e.client}->${e.server}`;
    const t = m.get(k) ?? { calls: 0, errors: 0 };
    t.calls++;
    if (e.failed) t.errors++;
    m.set(k, t);
  }
  return m;
}

const sorted = (m: Map<string, unknown>) => new Map([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));

type Delivery = (spans: Span[], rnd: Random) => Span[][];
const deliveries: Record<string, Delivery> = {
  'in order': (s) => [s],
  shuffled: (s, rnd) => [rnd.shuffle([...s])],
  'split across requests, reversed': (s) => {
    const r = [...s].reverse();
    const out: Span[][] = [];
    for (let i = 0; i < r.length; i += 7) out.push(r.slice(i, i + 7));
    return out;
  },
};

describe('SpanPairer', () => {
  const topologies: Topology[] = [ciPipeline, shop, platform];
  for (const topo of topologies) {
    for (const [name, deliver] of Object.entries(deliveries)) {
      it(`${topo.name}, ${name}: edges and their call/error counts equal the simulator's truth`, () => {
        const sim = simulate(topo, { seed: 99, startMs: 1_700_000_000_000, durationMs: 60_000, requests: 300, faults: [{ kind: 'errors', service: Object.keys(topo.services)[1]!, rate: 0.2 }] });
        const c = collect();
        const pairer = new SpanPairer({ waitMs: 10_000, maxPending: 1_000_000 }, c.listener, () => 0);
        for (const batch of deliver(sim.spans, new Random(5))) pairer.add(batch);
        pairer.close();
        expect(sorted(edgeTable(c.edges))).toEqual(sorted(sim.edges));
        expect([...sim.edges.values()].some((e) => e.errors > 0)).toBe(true);
        const kinds = new Map<string, string>();
        for (const e of c.edges) {
          kinds.set(e.client, 'service');
          kinds.set(e.server, e.serverKind);
        }
        expect(sorted(kinds)).toEqual(sorted(sim.nodes));
        expect(c.selfTimes).toHaveLength(sim.spans.length);
        expect(c.unpaired()).toBe(0);
      });
    }
  }

  it('a client span whose server child arrives after the wait is attributed by its peer attribute; the late server span counts as unpaired', () => {
    const sim = simulate(ciPipeline, { seed: 1, startMs: 0, durationMs: 1000, requests: 1 });
    let now = 0;
    const c = collect();
    const pairer = new SpanPairer({ waitMs: 100, maxPending: 1000 }, c.listener, () => now);
    const clientToS3 = sim.spans.find((s) => s.serviceName === 'git-proxy' && s.kind === 3)!;
    const s3 = sim.spans.find((s) => s.serviceName === 'storage-s3')!;
    pairer.add(sim.spans.filter((s) => s !== s3));
    now = 200;
    pairer.settleExpired();
    pairer.add([s3]);
    pairer.close();
    // The client span names its peer (server.address), so the call is kept, as a call to a virtual node.
    const fromGitProxy = c.edges.filter((e) => e.client === 'git-proxy');
    // storage-s3 had never been seen serving when the client span settled: a virtual node, no server-side duration.
    expect(fromGitProxy.map((e) => [e.server, e.serverKind, e.serverDurationNs])).toEqual([['storage-s3', 'external', 0]]);
    expect(clientToS3.attributes['server.address']).toBe('storage-s3');
    expect(c.unpaired()).toBe(1); // the late server span
  });

  it('evicts the oldest spans past maxPending, settles them and counts them', () => {
    const sim = simulate(shop, { seed: 3, startMs: 0, durationMs: 1000, requests: 50 });
    const c = collect();
    const pairer = new SpanPairer({ waitMs: 60_000, maxPending: 100 }, c.listener, () => 0);
    pairer.add(sim.spans);
    expect(pairer.pendingCount).toBe(100);
    expect(c.evicted()).toBe(sim.spans.length - 100);
    pairer.close();
    expect(c.selfTimes).toHaveLength(sim.spans.length);
  });

  it('counts a duplicate delivery once', () => {
    const sim = simulate(ciPipeline, { seed: 4, startMs: 0, durationMs: 1000, requests: 20 });
    const c = collect();
    const pairer = new SpanPairer({ waitMs: 10_000, maxPending: 100_000 }, c.listener, () => 0);
    pairer.add(sim.spans);
    pairer.add(sim.spans.slice(0, 50));
    pairer.close();
    expect(sorted(edgeTable(c.edges))).toEqual(sorted(sim.edges));
  });
});

describe('selfTime', () => {
  it('subtracts the union of children, clipped to the span', () => {
    expect(selfTime(100, undefined)).toBe(100);
    expect(selfTime(100, [10, 30, 20, 50])).toBe(60); // overlapping: covered 10..50
    expect(selfTime(100, [10, 20, 30, 40])).toBe(80); // disjoint
    expect(selfTime(100, [-10, 20, 90, 150])).toBe(70); // clipped at both ends
    expect(selfTime(100, [0, 100, 10, 20])).toBe(0);
  });
});
