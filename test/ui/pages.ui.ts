/**
 * The pages as the person paged sees them (issue 17): a real headless Chromium (Debian's, driven by playwright-core)
 * on a faultline holding the seed incident, with an API token. Checks what is on screen against the API's report,
 * and saves a screenshot of each page (the path is printed; UI_SCREENSHOT_DIR picks the folder).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/rca/report.js';
import { fmtMs } from '../../src/web/format.js';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';
import { encodeProto } from '../sim/otlp-encode.js';

const TOKEN = 'ui-test-token';
const shots = process.env.UI_SCREENSHOT_DIR ?? join(import.meta.dirname, '..', '..', 'artifacts', 'ui');
let h: Harness;
let browser: Browser;
let page: Page;
let report: Report;
const auth = { authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  h = await startHarness({ FAULTLINE_API_TOKEN: TOKEN, FAULTLINE_PAIR_WAIT_MS: '500' });
  const now = Date.now();
  const start = now - 20 * 60_000;
  const baseline = simulate(ciPipeline, {
    seed: 1,
    startMs: start - 60 * 60_000,
    durationMs: 60 * 60_000,
    requests: 1000,
    versions: { 'storage-s3': '1.8.2' },
  });
  const incident = simulate(ciPipeline, {
    seed: 2,
    startMs: start,
    durationMs: 19 * 60_000,
    requests: 400,
    versions: { 'storage-s3': '1.9.0' },
    faults: [
      { kind: 'latency', service: 'storage-s3', factor: 13 },
      { kind: 'errors', service: 'storage-s3', rate: 0.1 },
    ],
  });
  const spans = [...baseline.spans, ...incident.spans];
  for (let i = 0; i < spans.length; i += 5000) {
    const res = await fetch(`${h.otlpHttp}/v1/traces`, {
      method: 'POST',
      body: encodeProto(spans.slice(i, i + 5000)),
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(res.status).toBe(200);
  }
  const res = await fetch(`${h.api}/api/v1/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify(alertmanagerWebhook([{ service: 'builder', startsAt: new Date(now - 5 * 60_000) }])),
  });
  const id = ((await res.json()) as { incidents: { id: string }[] }).incidents[0]!.id;
  for (let i = 0; i < 600; i++) {
    report = (await (await fetch(`${h.api}/api/v1/incidents/${id}`, { headers: auth })).json()) as Report;
    if (report.status === 'done') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(report.status).toBe('done');
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const shot = async (name: string): Promise<void> => {
  const path = join(shots, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
};

describe('pages', () => {
  it('without the token only the sign-in form shows; with it, the incidents list shows the incident and its top candidate', async () => {
    await page.goto(`${h.api}/`);
    await page.getByLabel('API token').waitFor();
    expect(await page.locator('table').count()).toBe(0);
    await shot('login');
    await page.getByLabel('API token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const row = page.locator('table.incidents tbody tr').first();
    await row.waitFor();
    expect(await row.locator('td.top-candidate strong').textContent()).toBe(report.candidates[0]!.service);
    expect(await row.locator('a').first().getAttribute('href')).toBe(`/incidents/${report.id}`);
    await shot('incidents');
  });

  it('the incident page shows the API report: path, first candidate, evidence, what changed, the graph and charts', async () => {
    await page.goto(`${h.api}/incidents/${report.id}`);
    await page.locator('table.candidates tbody tr').first().waitFor();
    const top = report.candidates[0]!;
    expect(await page.locator('#path').textContent()).toBe(top.path.join(' → '));
    const first = page.locator('table.candidates tbody tr').first();
    expect(await first.getAttribute('data-candidate')).toBe(top.service);
    const p99 = (await first.locator('td.evidence-p99').textContent())!;
    expect(p99).toContain(fmtMs(top.evidence.p99Ms.current));
    expect(p99).toContain(fmtMs(top.evidence.p99Ms.baseline));
    expect(await first.locator('.change').textContent()).toContain('service.version 1.8.2 → 1.9.0');
    expect(await page.locator(`svg.graph g.node.top[data-node="${top.service}"]`).count()).toBe(1);
    expect(await page.locator('svg.graph path.edge.on-path').count()).toBe(top.path.length - 1);
    // The alerting service's chart and the top candidate's.
    await page.locator(`figure.chart[data-service="${report.service}"] canvas`).waitFor();
    await page.locator(`figure.chart[data-service="${top.service}"] canvas`).waitFor();
    await shot('incident');
  });

  it("an exemplar link opens the trace page, which shows the trace's spans", async () => {
    const exemplar = report.candidates[0]!.exemplars[0]!;
    const link = page.locator('table.candidates tbody tr').first().locator('a.exemplar').first();
    expect(await link.getAttribute('href')).toBe(`/traces/${exemplar.traceId}`);
    await link.click();
    await page.locator('ol.waterfall li').first().waitFor();
    const api = (await (await fetch(`${h.api}/api/v1/traces/${exemplar.traceId}`, { headers: auth })).json()) as { spans: unknown[] };
    expect(await page.locator('ol.waterfall li').count()).toBe(api.spans.length);
    await page.locator('ol.waterfall li button').first().click();
    expect(await page.locator('pre.attributes').textContent()).toContain('"service"');
    await shot('trace');
  });

  it('the services page lists services with their P99, in a narrow window too', async () => {
    await page.setViewportSize({ width: 420, height: 900 });
    await page.goto(`${h.api}/services?start=now-2h`);
    await page.locator('table.services tbody tr').first().waitFor();
    expect(await page.locator('table.services tbody th').allTextContents()).toContain('storage-s3');
    // The window is chosen on the page; 1000 + 400 requests, per second of the ~79 minutes of the 2 h that hold data.
    expect(await page.getByLabel('Window').inputValue()).toBe('now-2h');
    const rate = Number(await page.locator('table.services tbody tr', { hasText: 'storage-s3' }).locator('td').nth(1).textContent());
    expect(rate).toBeCloseTo(1400 / (79 * 60), 1);
    expect(rate).toBeGreaterThan(1400 / 7200 + 0.05);
    await shot('services-narrow');
  });
});
