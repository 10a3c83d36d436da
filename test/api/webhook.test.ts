/**
 * The Alertmanager webhook with real payload shapes: a malformed alert does not cost the valid ones of its batch,
 * times outside 1970-2262 and lone surrogates are input problems (never 500), truncatedAlerts is counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

let h: Harness;
const now = Date.now();
beforeAll(async () => {
  h = await startHarness();
  await sendSpans(h.otlpHttp, simulate(ciPipeline, { seed: 2, startMs: now - 30 * 60_000, durationMs: 20 * 60_000, requests: 100 }).spans);
});
afterAll(() => h.stop());

const post = async (body: unknown) => {
  const res = await fetch(`${h.api}/api/v1/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { incidents: { id: string; service: string }[]; skipped?: { fingerprint: string; reason: string }[] },
  };
};

describe('Alertmanager webhook', () => {
  it('takes the valid alerts of a batch and reports the malformed ones as skipped (2xx)', async () => {
    const payload = alertmanagerWebhook([{ service: 'builder', startsAt: new Date(now - 60_000), fingerprint: 'good' }]);
    const alerts = [
      ...payload.alerts,
      { status: 'firing', labels: { service_name: 'builder' }, startsAt: 'not a time', fingerprint: 'bad-time' },
      'not an alert',
    ];
    const r = await post({ ...payload, alerts });
    expect(r.status).toBe(202);
    expect(r.body.incidents.map((i) => i.service)).toEqual(['builder']);
    expect(r.body.skipped!.map((s) => s.fingerprint)).toEqual(['bad-time', '']);
    expect(r.body.skipped![0]!.reason).toMatch(/alerts\[1\]\.startsAt must be an RFC 3339 time/);
    expect(r.body.skipped![1]!.reason).toMatch(/alerts\[2\] must be an object/);
  });

  it('refuses times outside 1970-2262 as input, not as a server error', async () => {
    const payload = alertmanagerWebhook([{ service: 'builder', startsAt: new Date(now), fingerprint: 'ancient' }]);
    payload.alerts[0]!.startsAt = '-271821-04-20T00:00:00Z';
    const r = await post(payload);
    expect(r.status).toBe(202);
    expect(r.body.skipped![0]!.reason).toMatch(/startsAt must be between 1970 and 2262/);
  });

  it('stores label values with a lone surrogate (as U+FFFD) instead of failing in the engine', async () => {
    const body = JSON.stringify(
      alertmanagerWebhook([{ service: 'builder', startsAt: new Date(now - 120_000), fingerprint: 'surrogate' }]),
    ).replace('"severity":"page"', '"severity":"pa\\ud800ge"');
    const r = await post(body);
    expect(r.status).toBe(202);
    expect(r.body.incidents).toHaveLength(1);
    const report = (await (await fetch(`${h.api}/api/v1/incidents/${r.body.incidents[0]!.id}`)).json()) as {
      alert: { labels: Record<string, string> };
    };
    expect(report.alert.labels.severity).toBe('pa\ufffdge');
  });

  it('judges alerts one by one: a year-1 startsAt, a lone surrogate in the fingerprint, a 10 MB service label (issue 27)', async () => {
    const payload = alertmanagerWebhook([
      { service: 'builder', startsAt: new Date(now - 90_000), fingerprint: 'valid-next-to-bad' },
      { service: 'builder', startsAt: new Date(now), fingerprint: 'year-one' },
      { service: 'builder', startsAt: new Date(now - 100_000), fingerprint: 'PLACEHOLDER' },
      { service: 'x'.repeat(10 * 2 ** 20), startsAt: new Date(now), fingerprint: 'huge-label', annotations: { summary: 'huge' } },
      {
        service: 'builder',
        startsAt: new Date(now),
        fingerprint: 'reversed-baseline',
        annotations: {
          faultline_baseline_start: new Date(now - 60_000).toISOString(),
          faultline_baseline_end: new Date(now - 3_600_000).toISOString(),
        },
      },
    ]);
    payload.alerts[1]!.startsAt = '0001-01-01T00:00:00Z';
    const body = JSON.stringify(payload).replace('"PLACEHOLDER"', '"fp\\ud800x"');
    const res = await fetch(`${h.api}/api/v1/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(202);
    const text = await res.text();
    // The 10 MB label is not echoed back.
    expect(text.length).toBeLessThan(10_000);
    const r = JSON.parse(text) as { incidents: { id: string }[]; skipped: { fingerprint: string; reason: string }[] };
    expect(r.incidents).toHaveLength(2);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.fingerprint, s.reason]));
    expect(reasons['year-one']).toMatch(/startsAt must be between 1970 and 2262/);
    expect(reasons['huge-label']).toMatch(/service label is longer than 256 characters/);
    expect(reasons['reversed-baseline']).toMatch(/faultline_baseline_start must be before faultline_baseline_end/);
    const report = (await (await fetch(`${h.api}/api/v1/incidents/${r.incidents[1]!.id}`)).json()) as { alert: { fingerprint: string } };
    expect(report.alert.fingerprint).toBe('fp\ufffdx');
  });

  it('counts alerts Alertmanager truncated and those it could not read', async () => {
    await post({
      ...alertmanagerWebhook([{ service: 'builder', startsAt: new Date(now - 180_000), fingerprint: 'trunc' }]),
      truncatedAlerts: 3,
    });
    const text = await (await fetch(`${h.api}/metrics`)).text();
    expect(text).toMatch(/faultline_alerts_skipped_total\{reason="truncated"\} 3/);
    expect(text).toMatch(/faultline_alerts_skipped_total\{reason="invalid"\} [1-9]/);
  });

  it('still answers 400 to a body that is not a webhook at all', async () => {
    expect((await post({ alerts: 'nope' })).status).toBe(400);
    expect((await post('[1,2')).status).toBe(400);
  });
});

describe('a large webhook call', () => {
  it('opens an incident for each of 1000 alerts in one call (one read, one insert), and finds them all again', async () => {
    const alerts = Array.from({ length: 1000 }, (_, i) => ({
      service: i % 2 ? 'builder' : 'git-proxy',
      startsAt: new Date(now - 60_000 - i * 1000),
      fingerprint: `big${i}`,
    }));
    const started = performance.now();
    const first = await post(alertmanagerWebhook(alerts));
    const ms = performance.now() - started;
    expect(first.status).toBe(202);
    expect(first.body.incidents).toHaveLength(1000);
    expect(new Set(first.body.incidents.map((i) => i.id)).size).toBe(1000);
    if (process.env.FAULTLINE_TEST_PRINT) console.log(`1000-alert webhook answered in ${ms.toFixed(0)} ms`);
    const again = await post(alertmanagerWebhook(alerts));
    expect(again.body.incidents.map((i) => (i as { created?: boolean }).created)).toEqual(Array(1000).fill(false));
    expect(again.body.incidents.map((i) => i.id)).toEqual(first.body.incidents.map((i) => i.id));
    h.app.incidents.close();
  }, 120_000);
});
