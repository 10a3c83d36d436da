/**
 * SLOs computed from the store (issue 22), on chDB through OTLP/HTTP: the SLI, the budget left and every burn rate
 * equal what the simulated spans say when counted here independently, for availability and latency SLOs, an
 * operation and an environment filter, windows that cross minute and hour boundaries, and an SLO with no traffic
 * (no data, never 100 %). The per-hour series adds up to the window, and /metrics carries the same figures.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, StatusCode, type Span } from '../../src/span.js';
import { BURN_WINDOWS, type SloStatus } from '../../src/slo/evaluate-slo.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { simulate } from '../sim/simulate.js';
import { shop } from '../sim/topology.js';

const MIN = 60_000;
// Not on a minute: the windows end at the end of the current minute, whatever second it is.
const at = Math.floor(Date.now() / MIN) * MIN - 17_345;
const SLO_FILE = `
slos:
  - name: checkout-availability
    service: checkout
    objective: 99.5
    sli: { type: availability }
    window: 3h
  - name: checkout-latency
    service: checkout
    objective: 99
    sli: { type: latency, thresholdMs: 120 }
    window: 2h
    labels: { team: payments }
  - name: frontend-checkout-op
    service: frontend
    operation: POST /cart/checkout
    environment: prod
    objective: 99.9
    sli: { type: availability }
    window: 1h
  - name: ghost
    service: ghost-service
    objective: 99
    sli: { type: availability }
`;

let h: Harness;
let spans: Span[];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-slo-'));
  writeFileSync(join(dir, 'slos.yaml'), SLO_FILE);
  h = await startHarness({ FAULTLINE_SLO_FILE: join(dir, 'slos.yaml'), FAULTLINE_PAIR_WAIT_MS: '1000' });
  // 3 h 20 min of healthy traffic, then the last 40 min with checkout failing and slow: burn rates differ per window.
  const healthyStart = at - 4 * 3600_000;
  const faultStart = at - 40 * MIN;
  const healthy = simulate(shop, {
    seed: 7,
    startMs: healthyStart,
    durationMs: faultStart - healthyStart,
    requests: 12_000,
    environment: 'prod',
  });
  const faulty = simulate(shop, {
    seed: 8,
    startMs: faultStart,
    durationMs: at - faultStart,
    requests: 2500,
    environment: 'prod',
    faults: [
      { kind: 'errors', service: 'checkout', rate: 0.06 },
      { kind: 'latency', service: 'checkout', factor: 4 },
    ],
  });
  spans = [...healthy.spans, ...faulty.spans];
  await sendSpans(h.otlpHttp, spans);
  await h.app.settleGraph();
}, 120_000);

afterAll(async () => h?.stop());

/** Counted here from the spans: requests of the SLO in [end - w, end), minutes by span start. */
function expected(match: (s: Span) => boolean, good: (s: Span) => boolean, windowMs: number) {
  const end = Math.floor(at / MIN) * MIN + MIN;
  let total = 0;
  let ok = 0;
  for (const s of spans) {
    const minute = Math.floor(Number(s.startNs / 1_000_000n) / MIN) * MIN;
    if (minute < end - windowMs || minute >= end || !match(s)) continue;
    total++;
    if (good(s)) ok++;
  }
  return { total, good: ok };
}

const requestOf = (service: string) => (s: Span) =>
  s.serviceName === service &&
  (s.kind === SpanKind.SERVER || s.kind === SpanKind.CONSUMER || (s.parentSpanId === '' && s.kind <= SpanKind.INTERNAL));
const notError = (s: Span) => s.statusCode !== StatusCode.ERROR;

async function slo(name: string, series = false): Promise<SloStatus> {
  const res = await fetch(`${h.api}/api/v1/slos${series ? `/${name}` : ''}?at=${at}`);
  expect(res.status).toBe(200);
  const body = await res.json();
  return series ? (body as SloStatus) : (body as { slos: SloStatus[] }).slos.find((s) => s.name === name)!;
}

function expectFigures(status: SloStatus, match: (s: Span) => boolean, good: (s: Span) => boolean, windowMs: number) {
  const whole = expected(match, good, windowMs);
  expect(whole.total).toBeGreaterThan(100);
  expect(status.current).toMatchObject(whole);
  const sli = whole.good / whole.total;
  const budget = 1 - status.objective / 100;
  expect(status.current.sli).toBeCloseTo(sli, 12);
  expect(status.errorBudgetRemaining).toBeCloseTo(1 - (1 - sli) / budget, 9);
  for (const w of BURN_WINDOWS) {
    const e = expected(match, good, w.ms);
    const got = status.burnRates[w.name]!;
    expect({ window: w.name, total: got.total, good: got.good }).toEqual({ window: w.name, ...e });
    expect(got.burnRate).toBeCloseTo((1 - e.good / e.total) / budget, 9);
  }
}

describe('SLOs from the store', () => {
  it('availability: SLI, budget and burn rates equal the spans counted independently', async () => {
    const s = await slo('checkout-availability');
    expectFigures(s, requestOf('checkout'), notError, 3 * 3600_000);
    // The fault is in the last 40 minutes: the short windows burn far faster than the whole window.
    expect(s.burnRates['5m']!.burnRate!).toBeGreaterThan(5);
    expect(s.burnRates['5m']!.burnRate!).toBeGreaterThan(3 * s.current.burnRate!);
  });

  it('latency: the share no slower than the threshold is exact (grid buckets, not a sketch)', async () => {
    const s = await slo('checkout-latency');
    expectFigures(s, requestOf('checkout'), (x) => x.durationNs <= 120 * 1e6, 2 * 3600_000);
    expect(s.sli).toEqual({ type: 'latency', thresholdMs: 120 });
    expect(s.labels).toEqual({ team: 'payments' });
  });

  it('an operation and an environment narrow the requests', async () => {
    const s = await slo('frontend-checkout-op');
    expectFigures(s, (x) => x.serviceName === 'frontend' && x.name === 'POST /cart/checkout', notError, 3600_000);
  });

  it('an SLO with no traffic has no data, never 100 %', async () => {
    const s = await slo('ghost');
    expect(s.noData).toBe(true);
    expect(s.current.sli).toBeNull();
    expect(s.errorBudgetRemaining).toBeNull();
    expect(Object.values(s.burnRates).every((f) => f.burnRate === null)).toBe(true);
  });

  it('the per-hour series adds up to the window and ends at the current budget', async () => {
    const s = await slo('checkout-availability', true);
    const series = s.series!;
    expect(series.length).toBeGreaterThanOrEqual(3);
    expect(series.reduce((n, p) => n + p.total, 0)).toBe(s.current.total);
    expect(series.reduce((n, p) => n + p.good, 0)).toBe(s.current.good);
    expect(series.at(-1)!.budgetRemaining).toBeCloseTo(s.errorBudgetRemaining!, 9);
    expect((await fetch(`${h.api}/api/v1/slos/nope`)).status).toBe(404);
  });

  it('/metrics carries the SLI, budget and burn rates; no series for an SLO without data', async () => {
    await h.app.evaluateSlos(at);
    const text = await (await fetch(`${h.api}/metrics`)).text();
    const s = await slo('checkout-availability');
    const value = (name: string, labels: string): number => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
      expect(line, `${name}{${labels}}`).toBeDefined();
      return Number(line!.split(' ').at(-1));
    };
    expect(value('faultline_slo_sli_ratio', 'slo="checkout-availability",window="3h"')).toBeCloseTo(s.current.sli!, 9);
    expect(value('faultline_slo_error_budget_remaining_ratio', 'slo="checkout-availability"')).toBeCloseTo(s.errorBudgetRemaining!, 9);
    expect(value('faultline_slo_burn_rate', 'slo="checkout-availability",window="1h"')).toBeCloseTo(s.burnRates['1h']!.burnRate!, 9);
    expect(text).not.toMatch(/faultline_slo_\w+\{slo="ghost"/);
  });
});
