/**
 * The ranking as a pure function over tiny hand-written request trees (testdata/*.json, one per propagation pattern),
 * each with its golden expectation: the verdict, the top candidate with its kind and path, and who must not rank
 * above it. No store: the trees are laid out as stored spans and profiled as analyze() does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildServiceGraph } from '../../src/graph/service-graph.js';
import { rankCandidates } from '../../src/rca/rank-candidates.js';
import { profileRequests } from '../../src/rca/request-profile.js';
import { layoutRequests, type Population } from './golden-traces.js';

interface GoldenCase {
  name: string;
  service: string;
  baseline: Population[];
  window: Population[];
  expected: { verdict: string; top: string; topKind: string; topPath: string[]; notAbove: string[]; callsPerRequest?: number };
}

const dir = join(import.meta.dirname, 'testdata');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, c: JSON.parse(readFileSync(join(dir, f), 'utf8')) as GoldenCase }));

const rank = async (c: GoldenCase) =>
  rankCandidates({
    service: c.service,
    current: await profileRequests(layoutRequests(c.window, 1_000_000)),
    baseline: await profileRequests(layoutRequests(c.baseline)),
    currentGraph: buildServiceGraph([], []),
    baselineGraph: buildServiceGraph([], []),
    minRequests: 20,
  });

describe('rankCandidates over hand-written request trees', () => {
  it('has a case for every propagation pattern', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  for (const { file, c } of cases) {
    it(`${file}: ${c.name}`, async () => {
      const r = await rank(c);
      const top = r.candidates[0]!;
      expect({ verdict: r.verdict, top: top.service, kind: top.kind, path: top.path }).toEqual({
        verdict: c.expected.verdict,
        top: c.expected.top,
        kind: c.expected.topKind,
        path: c.expected.topPath,
      });
      for (const other of c.expected.notAbove) {
        const o = r.candidates.find((x) => x.service === other);
        if (o) expect(o.rank, `${other} must rank below ${c.expected.top}`).toBeGreaterThan(1);
        if (o && r.verdict === 'origin_found') expect(o.confidence).toBeLessThan(top.confidence);
      }
      if (c.expected.callsPerRequest !== undefined)
        expect(top.evidence.callsPerRequest!.current).toBeCloseTo(c.expected.callsPerRequest, 5);
      if (r.verdict === 'origin_found') expect(top.confidence).toBeGreaterThanOrEqual(0.5);
      if (r.verdict === 'inconclusive') {
        // Name both: the runner-up is as likely, and the summary says so.
        expect(r.candidates[1]!.score).toBeGreaterThan(0.8 * top.score);
        expect(r.summary).toMatch(/close to call/);
      }
    });
  }

  it('charges the whole critical path: contributions add up to the requests mean duration', async () => {
    const { c } = cases.find((x) => x.file === 'n-plus-one.json')!;
    const profile = await profileRequests(layoutRequests(c.window));
    let total = 0;
    for (const t of profile.candidates.values()) total += t.sum;
    expect(total / profile.requests).toBeCloseTo(profile.meanMs, 6);
  });

  it('walks a batch job with 5000 sequential calls: every call on the path, the time adding up', async () => {
    const job = layoutRequests([
      {
        count: 2,
        trace: {
          service: 'batch',
          kind: 'server',
          self: 10,
          children: [
            { service: 'batch', kind: 'client', self: 0.1, times: 5000, peer: { 'db.system': 'postgresql', 'server.address': 'pg' } },
          ],
        },
      },
    ]);
    const profile = await profileRequests(job);
    expect(profile.candidates.get('pg')!.calls).toBe(10_000);
    let total = 0;
    for (const t of profile.candidates.values()) total += t.sum;
    expect(total / profile.requests).toBeCloseTo(profile.meanMs, 6);
    expect(profile.candidates.get('pg')!.sum / profile.requests).toBeCloseTo(500, 6);
  });

  it('gives exemplars that pass through the candidate, and one that failed there', async () => {
    const { c } = cases.find((x) => x.file === 'chronic-errors-herring.json')!;
    const window = layoutRequests(c.window, 1_000_000);
    const r = rankCandidates({
      service: c.service,
      current: await profileRequests(window),
      baseline: await profileRequests(layoutRequests(c.baseline)),
      currentGraph: buildServiceGraph([], []),
      baselineGraph: buildServiceGraph([], []),
      minRequests: 20,
    });
    const stock = r.candidates.find((x) => x.service === 'stock')!;
    expect(stock.exemplars.length).toBeGreaterThanOrEqual(2);
    const span = (id: string) => window.spans.find((sp) => sp.spanId === id)!;
    for (const e of stock.exemplars) {
      expect(span(e.spanId).service).toBe('stock');
      expect(span(e.spanId).traceId).toBe(e.traceId);
    }
    const failed = stock.exemplars.filter((e) => e.error);
    expect(failed).toHaveLength(1);
    expect(span(failed[0]!.spanId).failed).toBe(true);
    // The chronic failures of recommendations are its own, too.
    const rec = r.candidates.find((x) => x.service === 'recommendations')!.exemplars.find((e) => e.error)!;
    expect(span(rec.spanId)).toMatchObject({ service: 'recommendations', failed: true });
  });
});
