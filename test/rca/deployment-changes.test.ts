/**
 * What changed (issue 17): a deployment between the baseline and the window is evidence on its candidate, named in
 * the summary and the hand-offs; a harmless deploy elsewhere is reported but does not move the ranking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentChanges } from '../../src/rca/deployment-changes.js';
import type { Report } from '../../src/rca/report.js';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

describe('deploymentChanges', () => {
  const row = (service: string, value: string, baselineSpans: number, windowSpans: number, firstSeenMs = 0) => ({
    service,
    attribute: 'service.version',
    value,
    firstSeenMs,
    baselineSpans,
    windowSpans,
  });

  it('names the value the window mostly runs when the baseline mostly ran another, with when it was first seen', () => {
    const changes = deploymentChanges([
      row('s3', '1.8.2', 900, 40),
      row('s3', '1.9.0', 0, 500, Date.UTC(2026, 0, 1, 12, 3)),
      row('git', '3.1', 800, 300),
    ]);
    expect(changes.get('s3')).toEqual([
      { attribute: 'service.version', from: '1.8.2', to: '1.9.0', firstSeen: '2026-01-01T12:03:00.000Z' },
    ]);
    expect(changes.has('git')).toBe(false);
  });

  it('claims nothing without a baseline value (a young install); a new version counts before it is the majority', () => {
    expect(deploymentChanges([row('new', '1.0', 0, 10)]).has('new')).toBe(false);
    expect(deploymentChanges([row('c', '1.0', 900, 400), row('c', '1.1', 0, 30, 5)]).get('c')).toEqual([
      { attribute: 'service.version', from: '1.0', to: '1.1', firstSeen: '1970-01-01T00:00:00.005Z' },
    ]);
    // A stray value on under 5% of the window's spans is not a deployment.
    expect(deploymentChanges([row('d', '1.0', 900, 400), row('d', '9.9-test', 0, 3)]).has('d')).toBe(false);
  });
});

describe('a bad deploy', () => {
  let h: Harness;
  let report: Report;
  const now = Date.now();
  const windowStart = now - 20 * 60_000;
  const alertStart = now - 5 * 60_000;
  beforeAll(async () => {
    h = await startHarness({ FAULTLINE_PAIR_WAIT_MS: '500' });
    const before = { 'storage-s3': '1.8.2', 'git-proxy': '3.1.0', auth: '2.0.0' };
    const baseline = simulate(ciPipeline, {
      seed: 11,
      startMs: windowStart - 60 * 60_000,
      durationMs: 60 * 60_000,
      requests: 800,
      versions: before,
    });
    // storage-s3 1.9.0 is slow; auth 2.1.0 went out at the same time and is fine.
    const incident = simulate(ciPipeline, {
      seed: 12,
      startMs: windowStart,
      durationMs: 19 * 60_000,
      requests: 300,
      versions: { ...before, 'storage-s3': '1.9.0', auth: '2.1.0' },
      faults: [{ kind: 'latency', service: 'storage-s3', factor: 10 }],
    });
    await sendSpans(h.otlpHttp, [...baseline.spans, ...incident.spans]);
    const res = await fetch(`${h.api}/api/v1/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alertmanagerWebhook([{ service: 'builder', startsAt: new Date(alertStart) }])),
    });
    const id = ((await res.json()) as { incidents: { id: string }[] }).incidents[0]!.id;
    for (let i = 0; i < 600; i++) {
      report = (await (await fetch(`${h.api}/api/v1/incidents/${id}`)).json()) as Report;
      if (report.status === 'done' || report.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(() => h.stop());

  it('puts the version change on the culprit and names it in the summary, minutes before the alert', () => {
    expect(report.status).toBe('done');
    const top = report.candidates[0]!;
    expect(top.service).toBe('storage-s3');
    expect(top.evidence.changes).toEqual([
      { attribute: 'service.version', from: '1.8.2', to: '1.9.0', firstSeen: expect.any(String) as string },
    ]);
    const firstSeen = Date.parse(top.evidence.changes![0]!.firstSeen);
    expect(firstSeen).toBeGreaterThanOrEqual(windowStart);
    expect(firstSeen).toBeLessThan(windowStart + 60_000);
    expect(report.summary).toContain(
      `storage-s3 service.version 1.8.2 → 1.9.0, first seen ${Math.round((alertStart - firstSeen) / 60_000)} min before the alert`,
    );
    expect(report.candidates.find((c) => c.service === 'git-proxy')?.evidence.changes).toBeUndefined();
  });

  it('a harmless deploy at the same time is reported where it happened, not ranked above the culprit', () => {
    const auth = report.candidates.find((c) => c.service === 'auth');
    expect(auth?.evidence.changes?.[0]).toMatchObject({ from: '2.0.0', to: '2.1.0' });
    expect(report.candidates[0]!.service).toBe('storage-s3');
  });

  it('the Markdown hand-off says what changed', async () => {
    const md = await (await fetch(`${h.api}/api/v1/incidents/${report.id}?format=markdown`)).text();
    expect(md).toMatch(/Changed: service\.version 1\.8\.2 → 1\.9\.0, first seen /);
  });
});
