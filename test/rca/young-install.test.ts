/**
 * The first alert on a young install (issue 29): spans have arrived for 12 minutes, the fault began 3 minutes before
 * the page. The window starts at the onset found in the data, the baseline is the 8 healthy minutes there are (the
 * report says so), the origin is named, and no "(none) -> version" deployment is invented.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/rca/report.js';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { waitDone as waitDoneAt } from '../helpers/wait-done.js';
import { sendSpans } from '../helpers/load-spans.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

let h: Harness;
const MIN = 60_000;
// Whole minutes, so the onset falls on a minute boundary as it would with a real alert.
const now = Math.floor(Date.now() / MIN) * MIN;
const installedAt = now - 12 * MIN;
const faultAt = now - 3 * MIN;
const versions = {
  builder: '4.2.0',
  'git-proxy': '3.1.0',
  'storage-s3': '1.8.2',
  auth: '2.0.0',
  'artifact-cache': '1.0.0',
  'ci-gateway': '7.0.0',
};

beforeAll(async () => {
  h = await startHarness({ FAULTLINE_PAIR_WAIT_MS: '500' });
  const healthy = simulate(ciPipeline, { seed: 5, startMs: installedAt, durationMs: faultAt - installedAt, requests: 270, versions });
  const faulty = simulate(ciPipeline, {
    seed: 6,
    startMs: faultAt,
    durationMs: 3 * MIN,
    requests: 90,
    versions,
    faults: [{ kind: 'latency', service: 'storage-s3', factor: 8 }],
  });
  await sendSpans(h.otlpHttp, [...healthy.spans, ...faulty.spans]);
  await h.app.settleGraph();
});
afterAll(() => h.stop());

const waitDone = (id: string): Promise<Report> => waitDoneAt(h.api, id);

describe('the first alert on a young install', () => {
  it('names the origin against the history there is, says so, and invents no deployment', async () => {
    const res = await fetch(`${h.api}/api/v1/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alertmanagerWebhook([{ service: 'builder', startsAt: new Date(now), fingerprint: 'young' }])),
    });
    expect(res.status).toBe(202);
    const { incidents } = (await res.json()) as { incidents: { id: string }[] };
    const report = await waitDone(incidents[0]!.id);
    expect(report.verdict).toBe('origin_found');
    expect(report.candidates[0]!.service).toBe('storage-s3');
    // The window starts within a minute before the fault; the baseline is the healthy minutes before it.
    expect(Date.parse(report.window.start)).toBeGreaterThanOrEqual(faultAt - MIN);
    expect(Date.parse(report.window.start)).toBeLessThanOrEqual(faultAt);
    expect(Date.parse(report.baseline.start)).toBeGreaterThanOrEqual(installedAt - MIN);
    expect(report.periodNotes?.join(' ')).toMatch(/baseline is \d+ min of history \(less than the 60 min default\)/);
    expect(report.summary).toMatch(/baseline is \d+ min of history/);
    for (const c of report.candidates) expect(c.evidence.changes ?? [], c.service).toEqual([]);
  });
});
