/**
 * The SLO pages in Chromium (issue 22): the SLO list with objective, SLI, budget left, burn rates and a budget chart
 * per SLO (no traffic reads "no data"), and an incident raised by a burn-rate alert showing the SLO it burns.
 * Screenshots go to artifacts/ui (UI_SCREENSHOT_DIR) like the other pages'.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openBrowser, screenshot } from './browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/rca/report.js';
import type { SloStatus } from '../../src/slo/evaluate-slo.js';
import { fmtPct } from '../../src/web/format.js';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { waitDone } from '../helpers/wait-done.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

let h: Harness;
let browser: Browser;
let page: Page;
let report: Report;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-ui-slo-'));
  writeFileSync(
    join(dir, 'slos.yaml'),
    `slos:
  - name: builder-availability
    service: builder
    objective: 99.5
    sli: { type: availability }
    window: 6h
  - name: builder-latency
    service: builder
    objective: 99
    sli: { type: latency, thresholdMs: 8000 }
    window: 6h
  - name: deploys-availability
    service: deployer
    objective: 99.9
    sli: { type: availability }
`,
  );
  h = await startHarness({ FAULTLINE_SLO_FILE: join(dir, 'slos.yaml'), FAULTLINE_PAIR_WAIT_MS: '500' });
  const now = Date.now();
  const healthy = simulate(ciPipeline, { seed: 3, startMs: now - 5 * 3600_000, durationMs: 5 * 3600_000 - 15 * 60_000, requests: 3000 });
  const faulty = simulate(ciPipeline, {
    seed: 4,
    startMs: now - 15 * 60_000,
    durationMs: 15 * 60_000,
    requests: 600,
    errorPropagation: 1,
    faults: [{ kind: 'errors', service: 'git-proxy', rate: 0.2 }],
  });
  await sendSpans(h.otlpHttp, [...healthy.spans, ...faulty.spans]);
  await h.app.settleGraph();
  const res = await fetch(`${h.api}/api/v1/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      alertmanagerWebhook([
        {
          service: 'builder',
          labelName: 'service',
          alertname: 'SLOErrorBudgetBurn',
          startsAt: new Date(now - 10 * 60_000),
          labels: { slo: 'builder-availability', long_window: '1h', short_window: '5m' },
        },
      ]),
    ),
  });
  report = await waitDone(h.api, ((await res.json()) as { incidents: { id: string }[] }).incidents[0]!.id);
  ({ browser, page } = await openBrowser(1200));
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const shot = (name: string): Promise<void> => screenshot(page, name);

describe('SLO pages', () => {
  it('the SLO list shows objective, SLI, budget left and burn rates as the API has them, and a budget chart each', async () => {
    await page.goto(`${h.api}/slos`);
    await page.locator('table.slos tbody tr').first().waitFor();
    const api = (await (await fetch(`${h.api}/api/v1/slos`)).json()) as { slos: SloStatus[] };
    const availability = api.slos.find((s) => s.name === 'builder-availability')!;
    const row = page.locator('tr[data-slo="builder-availability"]');
    expect(await row.locator('td.sli').textContent()).toBe(fmtPct(availability.current.sli));
    expect(await row.locator('td.budget').textContent()).toContain(fmtPct(availability.errorBudgetRemaining));
    // The fault burns the budget: the 1h burn rate is far above 1 and highlighted.
    expect(availability.burnRates['1h']!.burnRate!).toBeGreaterThan(6);
    expect(await row.locator('td.burn.hot').count()).toBeGreaterThan(0);
    // No traffic is no data, never 100 %.
    expect(await page.locator('tr[data-slo="deploys-availability"] td.sli').textContent()).toBe('no data');
    await page.locator('figure.slo-chart[data-slo="builder-availability"] canvas').waitFor();
    await page.locator('figure.slo-chart[data-slo="builder-latency"] canvas').waitFor();
    await shot('slos');
  });

  it('an incident raised by a burn-rate alert shows the SLO it burns', async () => {
    expect(report.slo?.name).toBe('builder-availability');
    await page.goto(`${h.api}/incidents/${report.id}`);
    const slo = page.locator('#slo');
    await slo.waitFor();
    const text = (await slo.textContent())!;
    expect(text).toContain('SLO builder-availability');
    expect(text).toContain(`burning ${report.slo!.burnRate!.toFixed(1)}x over 1h`);
    expect(text).toContain(`budget left then ${fmtPct(report.slo!.budgetRemaining)}`);
    await shot('incident-slo');
  });
});
