/**
 * The first alerts on a real deployment (issue 29), on chDB through the OTLP receiver and the Alertmanager webhook:
 * a second incident minutes after a first, a paused process, a deploy paged by a 1-minute rule, a host whose clock
 * is off, and the same analysis twice. Each case runs in its own deployment environment of one store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/rca/report.js';
import type { Span } from '../../src/span.js';
import { alertmanagerWebhook, type AlertSpec } from '../helpers/alertmanager-webhook.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { waitDone as waitDoneAt } from '../helpers/wait-done.js';
import { simulate, type Fault, type SimulationOptions } from '../sim/simulate.js';
import { platform, shop, type Topology } from '../sim/topology.js';

let h: Harness;
const MIN = 60_000;
const now = Math.floor(Date.now() / MIN) * MIN;

/** Spans of `topology` in environment `env` over [from, to), `perMin` requests a minute. */
const run = (topology: Topology, env: string, from: number, to: number, seed: number, extra: Partial<SimulationOptions> = {}): Span[] =>
  simulate(topology, {
    seed,
    startMs: from,
    durationMs: to - from,
    requests: Math.round(((to - from) / MIN) * 30),
    environment: env,
    ...extra,
  }).spans;

const paused: Fault[] = [
  { kind: 'latency', service: 'feed', factor: 3 },
  { kind: 'network', from: 'feed', to: 'posts', addMs: 40 },
  { kind: 'network', from: 'feed', to: 'ranking', addMs: 40 },
  { kind: 'network', from: 'feed', to: 'media', addMs: 40 },
  { kind: 'network', from: 'feed', to: 'ads', addMs: 40 },
];

/** PostgreSQL and Redis on one host (127.0.0.1), and a connection pool in front of PostgreSQL. */
const pg = { 'db.system': 'postgresql', 'db.namespace': 'shop', 'server.address': '127.0.0.1', 'server.port': '5432' };
const localhost: Topology = {
  name: 'localhost-shop',
  entries: [{ service: 'web', weight: 1 }],
  services: {
    web: { operations: [{ name: 'GET /', selfMs: 3, calls: [{ to: 'checkout' }] }] },
    checkout: { operations: [{ name: 'POST /checkout', selfMs: 4, calls: [{ to: 'pool' }, { to: 'pg' }, { to: 'redis' }] }] },
  },
  dependencies: {
    pool: { kind: 'database', node: 'checkout', attributes: pg, latencyMs: 0.5, spanName: 'pg-pool.connect' },
    pg: { kind: 'database', node: 'postgresql:shop', attributes: pg, latencyMs: 4 },
    redis: {
      kind: 'database',
      node: 'redis@127.0.0.1:6379',
      attributes: { 'db.system': 'redis', 'server.address': '127.0.0.1', 'server.port': '6379', 'db.namespace': '0' },
      latencyMs: 1,
    },
  },
};

/** The 'skew' case: the cart host's clock runs 150 ms behind in the window (a clock step), while cart gets slow. */
const skewed = (spans: Span[]): Span[] =>
  spans.map((s) =>
    s.serviceName === 'cart' ? { ...s, startNs: s.startNs - 150_000_000n, endNs: s.endNs - 150_000_000n, events: undefined } : s,
  );

beforeAll(async () => {
  h = await startHarness({ FAULTLINE_PAIR_WAIT_MS: '500' });
  const h1 = now - 70 * MIN;
  await sendSpans(h.otlpHttp, [
    // Two faults 2.5 minutes apart: a slow payment API for 10 minutes, then a slow currency service.
    ...run(shop, 'second', h1, now - 25 * MIN, 1),
    ...run(shop, 'second', now - 25 * MIN, now - 15 * MIN, 2, { faults: [{ kind: 'dependency', dependency: 'stripe', factor: 8 }] }),
    ...run(shop, 'second', now - 15 * MIN, now - 12.5 * MIN, 3),
    ...run(shop, 'second', now - 12.5 * MIN, now, 4, { faults: [{ kind: 'latency', service: 'currency', factor: 30 }] }),
    // A paused process: feed's own time and every call it makes stretch; its callees do not.
    ...run(platform, 'paused', h1, now - 10 * MIN, 5),
    ...run(platform, 'paused', now - 10 * MIN, now, 6, { faults: paused }),
    // A deploy of recommendation 6.1.0 (slow) two minutes ago, paged by a 1-minute rule.
    ...run(shop, 'deploy', h1, now - 2 * MIN, 7, { versions: { recommendation: '6.0.3' } }),
    ...run(shop, 'deploy', now - 2 * MIN, now, 8, {
      versions: { recommendation: '6.1.0' },
      faults: [{ kind: 'latency', service: 'recommendation', factor: 10 }],
    }),
    // Two databases on one host: PostgreSQL slows; then, elsewhere, the connection pool in front of it runs dry.
    ...run(localhost, 'one-host', h1, now - 10 * MIN, 11),
    ...run(localhost, 'one-host', now - 10 * MIN, now, 12, { faults: [{ kind: 'dependency', dependency: 'pg', factor: 10 }] }),
    ...run(localhost, 'pool', h1, now - 10 * MIN, 13),
    ...run(localhost, 'pool', now - 10 * MIN, now, 14, { faults: [{ kind: 'dependency', dependency: 'pool', factor: 80 }] }),
    // A clock step on cart's host as cart gets slow: its spans start before the calls that made them.
    ...run(shop, 'skew', h1, now - 10 * MIN, 9),
    ...skewed(run(shop, 'skew', now - 10 * MIN, now, 10, { faults: [{ kind: 'latency', service: 'cart', factor: 12 }] })),
  ]);
  await h.app.settleGraph();
}, 120_000);
afterAll(() => h.stop());

const page = async (alert: AlertSpec, status: 'firing' | 'resolved' = 'firing'): Promise<string> => {
  const res = await fetch(`${h.api}/api/v1/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alertmanagerWebhook([alert], status)),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { incidents: { id: string }[] }).incidents[0]!.id;
};

const rca = async (env: string, alert: string, from: number): Promise<Report> => {
  const res = await fetch(`${h.api}/api/v1/rca`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ service: alert, environment: env, start: from, end: now, baselineStart: from - 50 * MIN, baselineEnd: from }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Report;
};

describe('a real deployment', () => {
  it('names a second incident minutes after a first, reading its baseline around the first', async () => {
    const first = { service: 'frontend', startsAt: new Date(now - 24 * MIN), fingerprint: 'first', labels: { environment: 'second' } };
    const a = await waitDoneAt(h.api, await page(first));
    expect(a.candidates[0]!.service).toBe('stripe-api');
    await page({ ...first, endsAt: new Date(now - 15 * MIN) }, 'resolved');
    const second = { service: 'frontend', startsAt: new Date(now - 11 * MIN), fingerprint: 'second', labels: { environment: 'second' } };
    const b = await waitDoneAt(h.api, await page(second));
    expect(b.id).not.toBe(a.id);
    expect(b.verdict).toBe('origin_found');
    expect(b.candidates[0]!.service).toBe('currency');
    // The baseline leaves out the first incident's minutes.
    const overlaps = Date.parse(b.baseline.start) < now - 15 * MIN && Date.parse(b.baseline.end) > now - 25 * MIN;
    expect(overlaps, JSON.stringify({ baseline: b.baseline, notes: b.periodNotes })).toBe(false);
  });

  it('names a paused process, not its callees or the edges out of it', async () => {
    const r = await rca('paused', 'edge', now - 10 * MIN);
    expect(r.candidates[0]!.service).toBe('feed');
    expect(r.verdict).toBe('origin_found');
  });

  it('names a deploy paged by a 1-minute rule on the first report, with its version change', async () => {
    const id = await page({ service: 'frontend', startsAt: new Date(now - MIN), fingerprint: 'deploy', labels: { environment: 'deploy' } });
    const r = await waitDoneAt(h.api, id);
    expect(r.candidates[0]!.service).toBe('recommendation');
    expect(r.candidates[0]!.evidence.changes?.[0]).toMatchObject({ attribute: 'service.version', from: '6.0.3', to: '6.1.0' });
    expect(r.summary).toContain('6.1.0');
  });

  it('two databases on one host are two nodes, and the slow one is named', async () => {
    const r = await rca('one-host', 'web', now - 10 * MIN);
    expect(`${r.candidates[0]!.service} (${r.candidates[0]!.kind})`).toBe('postgresql:shop (database)');
    const nodes = r.graph.nodes.map((n) => n.id);
    expect(nodes).toEqual(expect.arrayContaining(['postgresql:shop', 'redis@127.0.0.1:6379']));
  });

  it("a wait for a pooled connection is the caller's own time, not the database's", async () => {
    const r = await rca('pool', 'web', now - 10 * MIN);
    expect(r.candidates[0]!.service).toBe('checkout');
    expect(r.candidates[0]!.evidence.topOperations?.[0]?.name).toBe('pg-pool.connect');
    expect(r.candidates.find((c) => c.service === 'postgresql:shop')?.verdict ?? 'normal').not.toBe('origin');
  });

  it('shifts a skewed host back into its callers: a clock step is no network fault', async () => {
    const r = await rca('skew', 'frontend', now - 10 * MIN);
    expect(r.candidates[0]!.service).toBe('cart');
    expect(r.candidates.filter((c) => c.kind === 'edge' && c.verdict === 'origin')).toEqual([]);
  });

  it('gives the same report for the same analysis twice', async () => {
    const strip = (r: Report) => JSON.stringify({ ...r, id: undefined, createdAt: undefined, updatedAt: undefined, analysisMs: undefined });
    const [x, y] = [await rca('paused', 'edge', now - 10 * MIN), await rca('paused', 'edge', now - 10 * MIN)];
    expect(strip(y)).toBe(strip(x));
  });
});
