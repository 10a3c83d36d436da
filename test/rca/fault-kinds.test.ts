/** One scenario per fault kind, with red herrings, through ingest, the store and the ranking. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/rca/report.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import type { Fault } from '../sim/simulate.js';
import { simulate } from '../sim/simulate.js';
import { platform, shop, type Topology } from '../sim/topology.js';

interface Case {
  name: string;
  topology: Topology;
  alert: string;
  faults: Fault[];
  chronic?: Fault[];
  truth: string;
  kind: string;
}

const cases: Case[] = [
  {
    name: 'an uninstrumented database got slower',
    topology: platform,
    alert: 'edge',
    faults: [{ kind: 'dependency', dependency: 'maindb', factor: 6 }],
    truth: 'pg-main',
    kind: 'database',
  },
  {
    name: 'the network between two services got slower',
    topology: shop,
    alert: 'frontend',
    faults: [{ kind: 'network', from: 'frontend', to: 'recommendation', addMs: 40 }],
    truth: 'frontend -> recommendation',
    kind: 'edge',
  },
  {
    name: 'a service started failing',
    topology: shop,
    alert: 'frontend',
    faults: [{ kind: 'errors', service: 'currency', rate: 0.25 }],
    truth: 'currency',
    kind: 'service',
  },
  {
    name: 'a service got slower, next to one slow all along and a noisy neighbour',
    topology: platform,
    alert: 'edge',
    faults: [
      { kind: 'latency', service: 'ranking', factor: 5 },
      { kind: 'latency', service: 'users', factor: 1.3 },
    ],
    chronic: [{ kind: 'latency', service: 'media', factor: 4 }],
    truth: 'ranking',
    kind: 'service',
  },
  {
    name: 'an external API got slower',
    topology: shop,
    alert: 'frontend',
    faults: [{ kind: 'dependency', dependency: 'stripe', factor: 5 }],
    truth: 'stripe-api',
    kind: 'external',
  },
];

let h: Harness;
const HOUR = 3600_000;
const t0 = Math.floor((Date.now() - 2 * 24 * HOUR) / HOUR) * HOUR;
const slot = (i: number) => ({
  baselineStart: t0 + i * 2 * HOUR,
  windowStart: t0 + i * 2 * HOUR + HOUR,
  windowEnd: t0 + i * 2 * HOUR + HOUR + 15 * 60_000,
});

beforeAll(async () => {
  h = await startHarness();
  for (const [i, c] of cases.entries()) {
    const w = slot(i);
    await sendSpans(h.otlpHttp, [
      ...simulate(c.topology, { seed: 500 + i, startMs: w.baselineStart, durationMs: HOUR, requests: 800, faults: c.chronic ?? [] }).spans,
      ...simulate(c.topology, {
        seed: 600 + i,
        startMs: w.windowStart,
        durationMs: 15 * 60_000,
        requests: 200,
        faults: [...(c.chronic ?? []), ...c.faults],
      }).spans,
    ]);
  }
  await h.app.settleGraph();
});
afterAll(() => h.stop());

describe('root cause by fault kind', () => {
  cases.forEach((c, i) => {
    it(`${c.name}: ${c.truth} ranks first as ${c.kind}`, async () => {
      const w = slot(i);
      const res = await fetch(`${h.api}/api/v1/rca`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          service: c.alert,
          start: w.windowStart,
          end: new Date(w.windowEnd).toISOString(),
          baselineStart: w.baselineStart,
          baselineEnd: w.windowStart,
        }),
      });
      expect(res.status).toBe(200);
      const r = (await res.json()) as Report;
      expect(r.candidates[0]?.service).toBe(c.truth);
      expect(r.candidates[0]?.kind).toBe(c.kind);
      expect(r.candidates[0]?.verdict).toBe('origin');
      expect(r.candidates[0]?.path[0]).toBe(c.alert);
      expect(r.summary).toContain(c.truth);
    });
  });

  it('says there is too little data instead of guessing', async () => {
    const w = slot(0);
    const res = await fetch(`${h.api}/api/v1/rca`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // One minute of traffic on each side: about a dozen requests.
      body: JSON.stringify({
        service: 'edge',
        start: w.windowStart,
        end: w.windowStart + 60_000,
        baselineStart: w.baselineStart,
        baselineEnd: w.baselineStart + 60_000,
      }),
    });
    const r = (await res.json()) as Report;
    expect(r.candidates.every((c) => c.verdict !== 'origin')).toBe(true);
    expect(r.summary).toMatch(/too little data/);
    expect(r.candidates.some((c) => c.verdict === 'insufficient_data')).toBe(true);
  });

  it('refuses a window shorter than the one-minute rollup resolution', async () => {
    const res = await fetch(`${h.api}/api/v1/rca`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'edge', start: t0, end: t0 + 10_000 }),
    });
    expect(res.status).toBe(400);
  });
});
