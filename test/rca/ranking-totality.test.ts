/**
 * Property test: whatever the stored spans look like, the ranking ends in a report. Seeded random request trees
 * with the defects real stores hold (clock skew between services, head-sampled-away middles, orphans, cycles from
 * bad parent ids, duplicate span ids, consumers that start after their producer ended, children outside their
 * parents) are profiled and ranked; nothing throws and every figure is a finite number in its range.
 */
import { describe, expect, it } from 'vitest';
import { buildServiceGraph } from '../../src/graph/service-graph.js';
import { rankCandidates } from '../../src/rca/rank-candidates.js';
import { profileRequests } from '../../src/rca/request-profile.js';
import type { RequestSample, StoredTraceSpan } from '../../src/store/request-traces.js';
import { Random } from '../sim/random.js';

const SERVICES = ['frontend', 'cart', 'checkout', 'payment', 'stock', 'worker'];
const KINDS = ['Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const PEERS: Record<string, string>[] = [
  { 'db.system': 'postgresql', 'server.address': 'pg', 'server.port': '5432' },
  { 'db.system': 'redis', 'server.address': 'pg', 'server.port': '6379' },
  { 'messaging.destination.name': 'orders', 'messaging.system': 'kafka' },
  { 'server.address': 'api.example.com' },
  {},
];

interface Defects {
  skew: boolean;
  dropMiddles: boolean;
  orphans: boolean;
  cycles: boolean;
  duplicates: boolean;
  lateConsumers: boolean;
}

/** One request: a server span of `frontend` and a random tree below it, with the given defects applied. */
function requestTree(rnd: Random, t0: number, d: Defects): { entry: StoredTraceSpan; spans: StoredTraceSpan[] } {
  const traceId = rnd.hex(16);
  const spans: StoredTraceSpan[] = [];
  const add = (parent: StoredTraceSpan | undefined, service: string, kind: string, startMs: number, durMs: number) => {
    const s: StoredTraceSpan = {
      traceId,
      spanId: rnd.hex(8),
      parentSpanId: parent?.spanId ?? '',
      service,
      kind,
      startNs: String(BigInt(Math.round(startMs * 1e6))),
      durationNs: Math.max(0, Math.round(durMs * 1e6)),
      failed: rnd.chance(0.08) ? 1 : 0,
      peerAttributes: kind === 'Client' || kind === 'Producer' ? PEERS[rnd.int(PEERS.length)]! : {},
    };
    spans.push(s);
    return s;
  };
  const grow = (parent: StoredTraceSpan, startMs: number, durMs: number, depth: number) => {
    const n = depth > 4 ? 0 : rnd.int(4);
    for (let i = 0; i < n; i++) {
      const kind = KINDS[rnd.int(KINDS.length)]!;
      const s0 = startMs + rnd.next() * durMs * 0.5;
      const dur = rnd.next() * (startMs + durMs - s0);
      const child = add(
        parent,
        kind === 'Server' || kind === 'Consumer' ? SERVICES[rnd.int(SERVICES.length)]! : parent.service,
        kind,
        s0,
        dur,
      );
      if (kind === 'Client' || kind === 'Producer') {
        if (rnd.chance(0.7)) {
          // Its callee, usually inside it; a consumer may start after the producer ended.
          const late = kind === 'Producer' && d.lateConsumers && rnd.chance(0.5);
          const cs = late ? s0 + dur + rnd.next() * 50 : s0 + dur * 0.1;
          const callee = add(child, SERVICES[rnd.int(SERVICES.length)]!, kind === 'Producer' ? 'Consumer' : 'Server', cs, dur * 0.8);
          grow(callee, cs, dur * 0.8, depth + 1);
        }
      } else grow(child, s0, dur, depth + 1);
    }
  };
  const entry = add(undefined, 'frontend', 'Server', t0, 20 + rnd.logNormal(50, 0.8));
  grow(entry, t0, entry.durationNs / 1e6, 0);

  if (d.skew) {
    const offsets = new Map(SERVICES.map((s) => [s, BigInt(Math.round((rnd.next() - 0.5) * 100 * 1e6))]));
    for (const s of spans) s.startNs = String(BigInt(s.startNs) + offsets.get(s.service)!);
  }
  let kept = spans;
  if (d.dropMiddles) kept = kept.filter((s) => s === entry || !rnd.chance(0.3));
  if (d.orphans) for (const s of kept) if (s !== entry && rnd.chance(0.1)) s.parentSpanId = rnd.hex(8);
  if (d.cycles && kept.length > 2) {
    // A parent id pointing at a descendant (or at itself).
    const a = kept[1 + rnd.int(kept.length - 1)]!;
    const b = kept[1 + rnd.int(kept.length - 1)]!;
    a.parentSpanId = b.spanId;
    if (rnd.chance(0.3)) entry.parentSpanId = kept[kept.length - 1]!.spanId;
  }
  if (d.duplicates) for (const s of [...kept]) if (rnd.chance(0.15)) kept.push({ ...s, durationNs: s.durationNs * 2 });
  return { entry, spans: kept };
}

function sample(rnd: Random, n: number, d: Defects): RequestSample {
  const entries: RequestSample['entries'] = [];
  const spans: StoredTraceSpan[] = [];
  for (let i = 0; i < n; i++) {
    const r = requestTree(rnd, i * 1000, d);
    entries.push({ traceId: r.entry.traceId, spanId: r.entry.spanId });
    spans.push(...r.spans);
  }
  // A sampled request whose trace was not read (beyond the span budget).
  if (rnd.chance(0.2)) entries.push({ traceId: rnd.hex(16), spanId: rnd.hex(8) });
  return { entries, spans };
}

const inUnit = (x: number) => Number.isFinite(x) && x >= 0 && x <= 1;

describe('ranking is total', () => {
  it('ranks thousands of defective random trees without throwing, every figure finite and in range', async () => {
    const rnd = new Random(2424);
    let trees = 0;
    for (let round = 0; round < 120; round++) {
      const defects: Defects = {
        skew: rnd.chance(0.5),
        dropMiddles: rnd.chance(0.5),
        orphans: rnd.chance(0.4),
        cycles: rnd.chance(0.3),
        duplicates: rnd.chance(0.3),
        lateConsumers: rnd.chance(0.6),
      };
      const n = 1 + rnd.int(40);
      const [cur, base] = [sample(rnd, n, defects), sample(rnd, rnd.chance(0.1) ? 0 : n, defects)];
      trees += cur.entries.length + base.entries.length;
      const ranking = rankCandidates({
        service: 'frontend',
        current: await profileRequests(cur),
        baseline: await profileRequests(base),
        currentGraph: buildServiceGraph([], []),
        baselineGraph: buildServiceGraph([], []),
        minRequests: 5,
      });
      expect(['origin_found', 'inconclusive', 'insufficient_data']).toContain(ranking.verdict);
      expect(ranking.summary.length).toBeGreaterThan(0);
      const keys = new Set<string>();
      for (const c of ranking.candidates) {
        expect(keys.has(c.service), `${c.service} ranked twice`).toBe(false);
        keys.add(c.service);
        expect(inUnit(c.score) && inUnit(c.confidence), `${c.service}: score ${c.score}, confidence ${c.confidence}`).toBe(true);
        expect(c.path.length).toBeGreaterThan(0);
        expect(Number.isFinite(c.evidence.addedMsPerRequest!.current)).toBe(true);
        expect(c.reason.length).toBeGreaterThan(0);
      }
    }
    expect(trees).toBeGreaterThan(2000);
  });

  it('charges a consumer that starts after its producer ended without losing the request (was a TypeError)', async () => {
    // checkout publishes and returns; the worker's consumer span (the publish span's child) starts 40 ms later.
    const spans = [
      stored('root', '', 'checkout', 'Server', 0, 30),
      stored('pub', 'root', 'checkout', 'Producer', 5, 5),
      stored('proc', 'pub', 'worker', 'Consumer', 50, 20),
    ];
    const profile = await profileRequests({ entries: [{ traceId: 't', spanId: 'root' }], spans });
    expect(profile.requests).toBe(1);
    expect(profile.candidates.get('worker')?.calls).toBe(1);
    for (const key of profile.candidates.keys()) expect(profile.refs.has(key), `${key} has no ref`).toBe(true);
    const ranking = rankCandidates({
      service: 'checkout',
      current: profile,
      baseline: profile,
      currentGraph: buildServiceGraph([], []),
      baselineGraph: buildServiceGraph([], []),
      minRequests: 1,
    });
    expect(ranking.candidates.map((c) => c.service)).toContain('worker');
  });

  it('walks a trace whose parent ids form a cycle once, the time still adding up to the request', async () => {
    // The entry names its own descendant (a client span) as its parent: root -> a -> c -> root -> ...
    const spans = [
      stored('root', 'c', 'frontend', 'Server', 0, 100),
      stored('a', 'root', 'cart', 'Server', 10, 50),
      stored('c', 'a', 'cart', 'Client', 20, 30),
    ];
    const profile = await profileRequests({ entries: [{ traceId: 't', spanId: 'root' }], spans });
    let total = 0;
    for (const t of profile.candidates.values()) total += t.sum;
    expect(total).toBeCloseTo(100, 6);
  });
});

function stored(spanId: string, parentSpanId: string, service: string, kind: string, startMs: number, durMs: number): StoredTraceSpan {
  return {
    traceId: 't',
    spanId,
    parentSpanId,
    service,
    kind,
    startNs: String(startMs * 1e6),
    durationNs: durMs * 1e6,
    failed: 0,
    peerAttributes: {},
  };
}
