/** Percentiles from the API vs an exact computation over the same generated spans, on both query paths. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, StatusCode, type Span } from '../../src/span.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { encodeProto } from '../sim/otlp-encode.js';
import { simulate } from '../sim/simulate.js';
import { platform } from '../sim/topology.js';

let h: Harness;
let spans: Span[];
const t0 = Math.floor((Date.now() - 50 * 60_000) / 60_000) * 60_000;
beforeAll(async () => {
  h = await startHarness({ FAULTLINE_RAW_QUERY_MAX_WINDOW: '30m' });
  spans = simulate(platform, {
    seed: 17,
    startMs: t0,
    durationMs: 40 * 60_000,
    requests: 3000,
    faults: [{ kind: 'errors', service: 'users', rate: 0.05 }],
  }).spans;
  for (let i = 0; i < spans.length; i += 5000) {
    const res = await fetch(`${h.otlpHttp}/v1/traces`, {
      method: 'POST',
      body: encodeProto(spans.slice(i, i + 5000)),
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(res.status).toBe(200);
  }
  await h.app.settleGraph();
});
afterAll(() => h.stop());

/** quantileExact's definition: the element at floor(q * n) of the sorted values. */
function exact(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

const served = (service: string, from: number, to: number) =>
  spans.filter(
    (s) =>
      s.serviceName === service &&
      (s.kind === SpanKind.SERVER || s.kind === SpanKind.CONSUMER) &&
      Number(s.startNs / 1_000_000n) >= from &&
      Number(s.startNs / 1_000_000n) < to,
  );

interface Latency {
  service: string;
  count: number;
  errorRate: number;
  quantiles: Record<string, number | null>;
  source: string;
}

async function latency(service: string, from: number, to: number, extra = ''): Promise<Latency> {
  const res = await fetch(
    `${h.api}/api/v1/services/${service}/latency?start=${from}&end=${new Date(to).toISOString()}&quantiles=0.5,0.9,0.99${extra}`,
  );
  expect(res.status).toBe(200);
  return (await res.json()) as Latency;
}

describe('GET /api/v1/services/:name/latency', () => {
  for (const service of ['edge', 'feed', 'users', 'posts']) {
    it(`${service}: raw path (short window) is exact; counts and error rate exact`, async () => {
      const from = t0 + 5 * 60_000 + 12_345;
      const to = from + 20 * 60_000;
      const truth = served(service, from, to);
      const r = await latency(service, from, to);
      expect(r.source).toBe('raw');
      expect(r.count).toBe(truth.length);
      expect(r.errorRate).toBeCloseTo(truth.filter((s) => s.statusCode === StatusCode.ERROR).length / truth.length, 12);
      for (const q of [0.5, 0.9, 0.99])
        expect(r.quantiles[String(q)]).toBeCloseTo(
          exact(
            truth.map((s) => s.durationNs / 1e6),
            q,
          ),
          3,
        );
    });

    it(`${service}: rollup path (long window) within 1% of exact`, async () => {
      const from = t0 - 60 * 60_000;
      const to = t0 + 60 * 60_000;
      const truth = served(service, from, to);
      const r = await latency(service, from, to);
      expect(r.source).toBe('rollup');
      expect(r.count).toBe(truth.length);
      for (const q of [0.5, 0.9, 0.99]) {
        const want = exact(
          truth.map((s) => s.durationNs / 1e6),
          q,
        );
        expect(Math.abs(r.quantiles[String(q)]! - want) / want).toBeLessThan(0.01);
      }
    });
  }

  it('filters by operation', async () => {
    const from = t0;
    const to = t0 + 25 * 60_000;
    const truth = spans.filter((s) => s.serviceName === 'posts' && s.name === 'List' && Number(s.startNs / 1_000_000n) < to);
    const r = await latency('posts', from, to, '&operation=List');
    expect(r.count).toBe(truth.length);
  });

  it('rejects bad quantiles and windows with 400', async () => {
    for (const qs of [
      'quantiles=1.5',
      'quantiles=abc',
      'quantiles=0.1,0.2,0.3,0.4,0.5,0.6',
      'start=yesterday',
      `start=${Date.now()}&end=${Date.now() - 1000}`,
    ]) {
      const res = await fetch(`${h.api}/api/v1/services/edge/latency?${qs}`);
      expect(res.status, qs).toBe(400);
    }
  });

  it('answers count 0 and null quantiles for an unknown service', async () => {
    const r = await latency('nope', t0, t0 + 60_000);
    expect(r.count).toBe(0);
    expect(r.quantiles['0.5']).toBeNull();
  });
});

describe('GET /api/v1/services', () => {
  it('lists services and virtual nodes with exact counts', async () => {
    const res = await fetch(`${h.api}/api/v1/services?start=${t0}&end=${t0 + 20 * 60_000}`);
    const list = (await res.json()) as { name: string; kind: string; spanCount: number; errorRate: number; p99Ms: number }[];
    const users = list.find((s) => s.name === 'users')!;
    const truth = spans.filter((s) => s.serviceName === 'users' && Number(s.startNs / 1_000_000n) < t0 + 20 * 60_000);
    expect(users.spanCount).toBe(truth.length);
    expect(users.errorRate).toBeGreaterThan(0);
    expect(list.find((s) => s.name === 'pg-main')?.kind).toBe('database');
    expect(list.find((s) => s.name === 'push')?.kind).toBe('messaging');
  });
});

describe('GET /api/v1/services/:name/series', () => {
  it('gives per-minute requests, error rate and P99 that add up to the spans served in each minute', async () => {
    const from = t0;
    const to = t0 + 40 * 60_000;
    const res = await fetch(`${h.api}/api/v1/services/users/series?start=${from}&end=${to}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { stepMs: number; points: { at: string; requests: number; errorRate: number; p99Ms: number }[] };
    expect(body.stepMs).toBe(60_000);
    expect(body.points.length).toBeGreaterThan(30);
    for (const p of body.points) {
      const at = Date.parse(p.at);
      const minute = served('users', at, at + 60_000);
      expect(p.requests).toBe(minute.length);
      expect(p.errorRate).toBeCloseTo(minute.filter((s) => s.statusCode === StatusCode.ERROR).length / minute.length, 6);
      // DDSketch: within its 1% of the value at rank 0.99 * (n - 1) (between the two values around it).
      const ms = minute.map((s) => s.durationNs / 1e6).sort((x, y) => x - y);
      const rank = 0.99 * (ms.length - 1);
      expect(p.p99Ms).toBeGreaterThanOrEqual(ms[Math.floor(rank)]! * 0.99);
      expect(p.p99Ms).toBeLessThanOrEqual(ms[Math.ceil(rank)]! * 1.01);
    }
    expect(body.points.map((p) => p.at)).toEqual([...body.points.map((p) => p.at)].sort());
  });

  it('widens the step for long windows so a chart never gets more than a day of minutes', async () => {
    const body = (await (await fetch(`${h.api}/api/v1/services/users/series?start=now-3d`)).json()) as { stepMs: number };
    expect(body.stepMs).toBe(3 * 60_000);
  });
});
