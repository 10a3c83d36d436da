/**
 * API rough edges an SRE hits first (issue 18): relative times, unix seconds, unknown parameters, incident
 * summaries with time filters and paging, requests vs spans, DOT labels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTime } from '../../src/api/time-window.js';
import type { IncidentSummary } from '../../src/rca/incident-summary.js';
import type { Report } from '../../src/rca/report.js';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

let h: Harness;
const now = Date.now();
let sim: ReturnType<typeof simulate>;
beforeAll(async () => {
  h = await startHarness();
  sim = simulate(ciPipeline, { seed: 12, startMs: now - 10 * 60_000, durationMs: 5 * 60_000, requests: 200 });
  await sendSpans(h.otlpHttp, sim.spans);
  await h.app.settleGraph();
});
afterAll(() => h.stop());

const get = async (path: string) => {
  const res = await fetch(`${h.api}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { message: string } } };
};

describe('times', () => {
  it('accepts now, now-<duration>, ISO, milliseconds and s/ms suffixes', () => {
    const t = 1_800_000_000_000;
    expect(parseTime('now', 'start', t)).toBe(t);
    expect(parseTime('now-1h', 'start', t)).toBe(t - 3600_000);
    expect(parseTime('now-15m', 'start', t)).toBe(t - 900_000);
    expect(parseTime('2027-01-15T08:00:00Z', 'start', t)).toBe(Date.UTC(2027, 0, 15, 8));
    expect(parseTime(String(t), 'start')).toBe(t);
    expect(parseTime('1800000000s', 'start')).toBe(t);
    expect(parseTime('1800000000000ms', 'start')).toBe(t);
  });

  it('refuses unix seconds read as milliseconds, and times out of range, naming the parameter', async () => {
    const secs = await get(`/api/v1/services?start=${Math.floor(now / 1000) - 600}`);
    expect(secs.status).toBe(400);
    expect(secs.body.error!.message).toMatch(/start=.* looks like unix seconds; send milliseconds or add an "s" suffix/);
    const far = await get('/api/v1/services?end=2262-04-12T00:00:00Z');
    expect(far.status).toBe(400);
    expect(far.body.error!.message).toMatch(/^end must be between 1970 and 2262/);
    expect((await get('/api/v1/services?start=now-bogus')).status).toBe(400);
  });

  it('answers relative windows', async () => {
    const r = await fetch(`${h.api}/api/v1/services?start=now-1h&end=now`);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { name: string }[]).map((s) => s.name)).toContain('builder');
  });
});

describe('parameters and shapes', () => {
  it('refuses unknown query parameters instead of ignoring them', async () => {
    const r = await get('/api/v1/incidents?since=now-1h');
    expect(r.status).toBe(400);
    expect(r.body.error!.message).toMatch(
      /unknown query parameter "since"; this endpoint takes service, status, limit, offset, start, end, view/,
    );
    expect((await get('/api/v1/graph?strat=now-1h')).status).toBe(400);
  });

  it('counts requests (server spans) apart from all spans in /api/v1/services', async () => {
    const list = (await (await fetch(`${h.api}/api/v1/services?start=${now - 3600_000}&end=${now}`)).json()) as {
      name: string;
      spanCount: number;
      requests: number;
    }[];
    const builder = list.find((s) => s.name === 'builder')!;
    const spans = sim.spans.filter((s) => s.serviceName === 'builder');
    expect(builder.spanCount).toBe(spans.length);
    expect(builder.requests).toBe(spans.filter((s) => s.kind === 2).length);
    expect(builder.requests).toBe(200);
  });

  it('GET /api/v1/incidents returns summaries, filtered by time and paged; view=full returns reports', async () => {
    const alerts = ['builder', 'git-proxy', 'storage-s3'].map((service, i) => ({
      service,
      startsAt: new Date(now - (3 - i) * 60_000),
      fingerprint: `edge${i}`,
    }));
    await fetch(`${h.api}/api/v1/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alertmanagerWebhook(alerts)),
    });
    await h.app.incidents.idle();
    const all = (await (await fetch(`${h.api}/api/v1/incidents`)).json()) as IncidentSummary[];
    expect(all).toHaveLength(3);
    expect(Object.keys(all[0]!)).toContain('top');
    expect(Object.keys(all[0]!)).not.toContain('candidates');
    const page1 = (await (await fetch(`${h.api}/api/v1/incidents?limit=2`)).json()) as IncidentSummary[];
    const page2 = (await (await fetch(`${h.api}/api/v1/incidents?limit=2&offset=2`)).json()) as IncidentSummary[];
    expect([...page1, ...page2].map((i) => i.id)).toEqual(all.map((i) => i.id));
    expect(await (await fetch(`${h.api}/api/v1/incidents?end=now-1h`)).json()).toEqual([]);
    expect(((await (await fetch(`${h.api}/api/v1/incidents?start=now-1h`)).json()) as unknown[]).length).toBe(3);
    const full = (await (await fetch(`${h.api}/api/v1/incidents?view=full&limit=1`)).json()) as Report[];
    expect(full[0]!.candidates.length).toBeGreaterThan(0);
  });

  it('DOT labels carry a newline escaped once', async () => {
    const dot = await (await fetch(`${h.api}/api/v1/graph?format=dot&start=now-1h`)).text();
    expect(dot).toMatch(/label="builder\\np99 [\d.]+ ms"/);
    expect(dot).not.toContain('\\\\n');
  });
});
