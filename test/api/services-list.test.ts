/**
 * GET /api/v1/services tells the truth about real traffic (issue 29): a background job whose work starts at INTERNAL
 * root spans shows its rate and latency, and rates are per second of data, not of the whole window. Both query
 * paths: raw spans (short windows) and the per-minute rollup (long ones).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, StatusCode, type Span } from '../../src/span.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { simulate } from '../sim/simulate.js';
import { shop } from '../sim/topology.js';

let h: Harness;
const MIN = 60_000;
const now = Math.floor(Date.now() / MIN) * MIN;
/** The shop has sent spans for the last 2 minutes only: 30 requests a second. */
const shopRequests = 2 * 60 * 30;

/** A traced job every second for `minutes`: an INTERNAL root span of 200 ms with a database call under it. */
function jobSpans(minutes: number): Span[] {
  const out: Span[] = [];
  const resource = { 'service.name': 'nightly-indexer' };
  for (let i = 0; i < minutes * 60; i++) {
    const start = BigInt(now - minutes * MIN + i * 1000) * 1_000_000n;
    const traceId = (i + 1).toString(16).padStart(32, '0');
    const base = { traceId, traceState: '', serviceName: 'nightly-indexer', resource, scopeName: 'job', scopeVersion: '1' };
    const span = (
      spanId: string,
      parentSpanId: string,
      name: string,
      kind: Span['kind'],
      offsetMs: number,
      ms: number,
      attributes = {},
    ): Span => ({
      ...base,
      spanId,
      parentSpanId,
      name,
      kind,
      startNs: start + BigInt(offsetMs) * 1_000_000n,
      endNs: start + BigInt(offsetMs + ms) * 1_000_000n,
      durationNs: ms * 1_000_000,
      statusCode: StatusCode.UNSET,
      statusMessage: '',
      attributes,
    });
    out.push(span(`${(i + 1).toString(16).padStart(8, '0')}00000001`, '', 'index batch', SpanKind.INTERNAL, 0, 200));
    out.push(
      span(
        `${(i + 1).toString(16).padStart(8, '0')}00000002`,
        `${(i + 1).toString(16).padStart(8, '0')}00000001`,
        'SELECT docs',
        SpanKind.CLIENT,
        50,
        100,
        {
          'db.system': 'postgresql',
          'server.address': 'docs-db',
        },
      ),
    );
  }
  return out;
}

beforeAll(async () => {
  // Windows up to 10 minutes read raw spans; longer ones the rollup.
  h = await startHarness({ FAULTLINE_RAW_QUERY_MAX_WINDOW: '10m', FAULTLINE_PAIR_WAIT_MS: '500' });
  await sendSpans(h.otlpHttp, [
    ...jobSpans(5),
    ...simulate(shop, { seed: 3, startMs: now - 2 * MIN, durationMs: 2 * MIN, requests: shopRequests }).spans,
  ]);
  await h.app.settleGraph();
});
afterAll(() => h.stop());

interface Row {
  name: string;
  requests: number;
  requestsPerSecond: number;
  p99Ms: number | null;
}

const list = async (minutes: number): Promise<Row[]> => {
  const res = await fetch(`${h.api}/api/v1/services?start=${now - minutes * MIN}&end=${new Date(now).toISOString()}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Row[];
};

describe('the services list', () => {
  for (const [path, minutes] of [
    ['raw spans', 8],
    ['the rollup', 30],
  ] as const) {
    it(`${path}: a job with INTERNAL roots shows its rate and latency`, async () => {
      const job = (await list(minutes)).find((s) => s.name === 'nightly-indexer')!;
      expect(job.requests).toBe(300);
      expect(job.requestsPerSecond).toBeGreaterThan(0.9);
      expect(job.requestsPerSecond).toBeLessThan(1.1);
      expect(job.p99Ms).toBeGreaterThan(190);
      expect(job.p99Ms).toBeLessThan(210);
    });

    it(`${path}: a rate is per second of data, not of the window`, async () => {
      const front = (await list(minutes)).find((s) => s.name === 'frontend')!;
      expect(front.requests).toBe(shopRequests);
      // 30/s over the 2 minutes with data (the rollup counts the last minute whole: within a minute of it).
      expect(front.requestsPerSecond).toBeGreaterThan(20);
      expect(front.requestsPerSecond).toBeLessThan(31);
    });
  }
});
