import { describe, expect, it } from 'vitest';
import type { EdgeCall, PairingListener, SpanTiming } from '../../../src/graph/edge-call.js';
import { selfTime } from '../../../src/graph/pairing/self-time.js';
import { SpanPairer } from '../../../src/graph/pairing/span-pairer.js';
import { SpanKind, type Span } from '../../../src/span.js';
import { Random } from '../../sim/random.js';
import { simulate, type EdgeTruth } from '../../sim/simulate.js';
import { ciPipeline, platform, shop, type Topology } from '../../sim/topology.js';

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
        const sim = simulate(topo, {
          seed: 99,
          startMs: 1_700_000_000_000,
          durationMs: 60_000,
          requests: 300,
          faults: [{ kind: 'errors', service: Object.keys(topo.services)[1]!, rate: 0.2 }],
        });
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

/** Self time per span computed independently, with exact BigInt arithmetic: duration minus the union of children. */
function referenceSelfTimes(spans: Span[]): string[] {
  const children = new Map<string, Span[]>();
  for (const s of spans) if (s.parentSpanId) children.set(s.parentSpanId, [...(children.get(s.parentSpanId) ?? []), s]);
  return spans
    .map((s) => {
      const iv = (children.get(s.spanId) ?? [])
        .filter((c) => c.traceId === s.traceId)
        .map((c) => [c.startNs < s.startNs ? s.startNs : c.startNs, c.endNs > s.endNs ? s.endNs : c.endNs] as const)
        .filter(([a, b]) => b > a)
        .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
      let covered = 0n;
      let [cs, ce] = [-1n, -1n];
      for (const [a, b] of iv) {
        if (a > ce) {
          if (ce > cs) covered += ce - cs;
          [cs, ce] = [a, b];
        } else if (b > ce) ce = b;
      }
      if (ce > cs) covered += ce - cs;
      return `${s.serviceName}|${s.name}|${s.endNs - s.startNs - covered}`;
    })
    .sort();
}

describe('SpanPairer at volume', () => {
  it('keeps exact self times and edges while its tables grow (40k spans, shuffled, split into requests)', () => {
    const sim = simulate(shop, { seed: 21, startMs: 1_700_000_000_000, durationMs: 600_000, requests: 3500 });
    expect(sim.spans.length).toBeGreaterThan(40_000);
    const c = collect();
    const pairer = new SpanPairer({ waitMs: 10_000, maxPending: 1_000_000 }, c.listener, () => 0);
    const shuffled = new Random(8).shuffle([...sim.spans]);
    for (let i = 0; i < shuffled.length; i += 1000) pairer.add(shuffled.slice(i, i + 1000));
    expect(pairer.pendingCount).toBe(sim.spans.length);
    expect(pairer.stats().linkNodes).toBeGreaterThan(0);
    pairer.close();
    expect(pairer.stats()).toEqual({ pendingSpans: 0, awaitedParents: 0, linkNodes: 0 });
    expect(sorted(edgeTable(c.edges))).toEqual(sorted(sim.edges));
    expect(c.selfTimes.map((t) => `${t.serviceName}|${t.spanName}|${t.selfTimeNs}`).sort()).toEqual(referenceSelfTimes(sim.spans));
  });

  it('settles in arrival order as time passes, and pairs a parent arriving after its children settled as unpaired', () => {
    let now = 0;
    const c = collect();
    const pairer = new SpanPairer({ waitMs: 100, maxPending: 1000 }, c.listener, () => now);
    const sim = simulate(ciPipeline, { seed: 2, startMs: 0, durationMs: 1000, requests: 1 });
    const roots = sim.spans.filter((s) => s.parentSpanId === '');
    const rest = sim.spans.filter((s) => s.parentSpanId !== '');
    pairer.add(rest);
    now = 50;
    pairer.settleExpired();
    expect(pairer.pendingCount).toBe(rest.length);
    now = 150;
    pairer.add(roots);
    pairer.settleExpired();
    expect(pairer.pendingCount).toBe(roots.length);
    expect(c.selfTimes).toHaveLength(rest.length);
    pairer.close();
    expect(c.selfTimes).toHaveLength(sim.spans.length);
    expect(pairer.stats()).toEqual({ pendingSpans: 0, awaitedParents: 0, linkNodes: 0 });
  });

  it('forgets children waiting for a parent that never comes once they settle, and keeps pairing afterwards', () => {
    let now = 0;
    const c = collect();
    const pairer = new SpanPairer({ waitMs: 100, maxPending: 100_000 }, c.listener, () => now);
    for (let round = 0; round < 20; round++) {
      const sim = simulate(shop, { seed: 100 + round, startMs: 0, durationMs: 1000, requests: 20 });
      pairer.add(sim.spans.filter((s) => s.parentSpanId !== '')); // the roots never arrive
      now += 200;
      pairer.settleExpired();
      expect(pairer.stats()).toEqual({ pendingSpans: 0, awaitedParents: 0, linkNodes: 0 });
    }
    expect(c.selfTimes.length).toBeGreaterThan(0);
  });
});

describe('SpanPairer timing rows', () => {
  const base = 1_700_000_040_000_000_000n; // a whole minute
  const span = (id: string, parent: string, kind: Span['kind'], startNs: bigint, durationNs: number, service = 'api'): Span => ({
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: id,
    parentSpanId: parent,
    traceState: '',
    name: 'op',
    kind,
    startNs,
    endNs: startNs + BigInt(durationNs),
    durationNs,
    statusCode: 0,
    statusMessage: '',
    serviceName: service,
    resource: {},
    scopeName: '',
    scopeVersion: '',
    attributes: {},
  });

  it('puts a span in the minute it starts in, to the nanosecond, and subtracts children to the nanosecond', () => {
    const c = collect();
    const pairer = new SpanPairer({ waitMs: 10_000, maxPending: 100 }, c.listener, () => 0);
    const minute = Number(base / 60_000_000_000n);
    // The parent starts 1 ns before a minute boundary; its child starts 3 ns later (in the next minute), lasts 1000 ns.
    pairer.add([span('00000000000000c1', '00000000000000a1', SpanKind.INTERNAL, base + 60_000_000_002n, 1000)]);
    pairer.add([span('00000000000000a1', '', SpanKind.SERVER, base + 59_999_999_999n, 5007)]);
    pairer.close();
    const byId = new Map(c.selfTimes.map((t) => [t.durationNs, t]));
    expect(byId.get(5007)).toMatchObject({ minute, selfTimeNs: 4007 });
    expect(byId.get(1000)).toMatchObject({ minute: minute + 1, selfTimeNs: 1000 });
  });

  it("takes a span sharing a waiting span's trace and last 13 hex digits of span id for a duplicate delivery", () => {
    const c = collect();
    const pairer = new SpanPairer({ waitMs: 10_000, maxPending: 100 }, c.listener, () => 0);
    pairer.add([
      span('1000000000000001', '', SpanKind.SERVER, base, 100, 'a'),
      span('2000000000000001', '', SpanKind.SERVER, base, 200, 'b'),
    ]);
    pairer.close();
    // Keys are the ids' low 52 bits: for random ids a clash within one trace while both wait is ~n^2/2^53.
    expect(c.selfTimes.map((t) => t.serviceName).sort()).toEqual(['a']);
  });
});

describe('selfTime', () => {
  it('subtracts the union of children, clipped to the span', () => {
    expect(selfTime(100, [], [], 0)).toBe(100);
    expect(selfTime(100, [20, 10], [50, 30], 2)).toBe(60); // overlapping, unsorted: covered 10..50
    expect(selfTime(100, [10, 30], [20, 40], 2)).toBe(80); // disjoint
    expect(selfTime(100, [-10, 90], [20, 150], 2)).toBe(70); // clipped at both ends
    expect(selfTime(100, [0, 10], [100, 20], 2)).toBe(0);
    expect(selfTime(100, [0, 5, 50], [10, 8, 60], 3)).toBe(80); // a child inside another, starting at 0
  });
});
