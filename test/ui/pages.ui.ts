/**
 * The pages as the person paged reads them at 3 a.m. (issues 17 and 30), in a real headless Chromium (Debian's,
 * driven by playwright-core) on a faultline holding the seed incident, a deploy of storage-s3 (1.8.2 -> 1.9.0) that
 * made it slow and failing, plus a 40-service system for the map. Each item is asserted against the API's report:
 * the culprit card, the candidates' order, the graph's arrows, legend and routes, the charts' width and change
 * marker, UTC on every page, the trace page tied to the incident, the service map, no sideways overflow at 420 px,
 * and an axe-core scan (no serious or critical violation) of every page in the light and the dark theme.
 * Screenshots of each page are saved (UI_SCREENSHOT_DIR, default artifacts/ui).
 */
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { openBrowser, screenshot } from './browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/rca/report.js';
import { fmtMs } from '../../src/web/format.js';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { generateTopology } from '../sim/generated-topology.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

// The browser globals the page.evaluate callbacks use (tests are type-checked without the DOM library).
interface BrowserElement {
  tagName: string;
  scrollWidth: number;
  clientWidth: number;
  classList: Iterable<string>;
  textContent: string | null;
  getBoundingClientRect(): { right: number };
  closest(selector: string): unknown;
}
declare const document: {
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelectorAll(selector: string): Iterable<BrowserElement>;
  getElementById(id: string): BrowserElement | null;
};
declare const window: unknown;
declare function getComputedStyle(e: unknown): { backgroundColor: string };

const TOKEN = 'ui-test-token';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let h: Harness;
let browser: Browser;
let page: Page;
let report: Report;
const auth = { authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
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
  // A 40-service system beside it: the map must stay readable at that size.
  const large = simulate(generateTopology(7, 40, 2, 4, 'large'), {
    seed: 3,
    startMs: now - 10 * 60_000,
    durationMs: 9 * 60_000,
    requests: 300,
  });
  await sendSpans(h.otlpHttp, [...baseline.spans, ...incident.spans, ...large.spans]);
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
  expect(report.candidates[0]!.service).toBe('storage-s3');
  ({ browser, page } = await openBrowser(1400));
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const shot = (name: string): Promise<void> => screenshot(page, name);

const pages = () => [
  `/`,
  `/incidents/${report.id}`,
  `/services?start=now-2h`,
  `/services/storage-s3`,
  `/map?start=now-1h`,
  `/slos`,
  `/traces/${report.candidates[0]!.exemplars[0]!.traceId}?incident=${report.id}&candidate=storage-s3`,
  `/incidents/inc_does_not_exist`,
];

/** Waits until the page has rendered past "Loading…". */
async function open(path: string): Promise<void> {
  await page.goto(`${h.api}${path}`);
  await page.waitForFunction(() => !document.getElementById('app')?.textContent?.startsWith('Loading'));
  await page.waitForLoadState('networkidle');
}

describe('pages', () => {
  it('without the token only the sign-in form shows; with it, the list shows the verdict in words, the origin and the age', async () => {
    await page.goto(`${h.api}/`);
    await page.getByLabel('API token').waitFor();
    expect(await page.locator('table').count()).toBe(0);
    await shot('login');
    await page.getByLabel('API token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const row = page.locator('table.incidents tbody tr').first();
    await row.waitFor();
    const cell = (await row.locator('td.top-candidate').textContent())!;
    expect(cell).toMatch(/^Root cause found/);
    expect(await row.locator('td.top-candidate strong').textContent()).toBe('storage-s3');
    expect(cell).not.toMatch(/origin_found|100/);
    expect(await row.locator('td[data-label="Started"]').textContent()).toMatch(/ago$/);
    expect(await row.locator('a').first().getAttribute('href')).toBe(`/incidents/${report.id}`);
    await shot('incidents');
  });

  it('the culprit card: the origin, the verdict in words, a confidence people read, the evidence, what changed, labelled traces', async () => {
    await open(`/incidents/${report.id}`);
    const card = page.locator('#culprit');
    const top = report.candidates[0]!;
    expect(await card.locator('.headline').textContent()).toBe('Root cause found');
    expect(await card.locator('.origin-name').textContent()).toBe('storage-s3');
    expect(await card.locator('.origin-kind').textContent()).toBe('service');
    expect(await card.locator('.confidence').textContent()).toMatch(/^Confidence (> 99|\d{1,2}) %$/);
    const text = (await card.textContent())!;
    expect(text).not.toMatch(/origin_found|100(\.0)? ?%|->/);
    expect(text).toContain(`P99${fmtMs(top.evidence.p99Ms.baseline)} → ${fmtMs(top.evidence.p99Ms.current)}`);
    expect(await card.locator('.change').textContent()).toMatch(
      /^Changed: service\.version 1\.8\.2 → 1\.9\.0, first seen \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/,
    );
    const labels = await card.locator('a.exemplar').allTextContents();
    expect(labels[0]).toMatch(/^slowest in the window \(/);
    expect(labels.some((l) => l.startsWith('failed here ('))).toBe(true);
    expect(await card.locator('#path').textContent()).toBe(top.path.join(' → '));
  });

  it('candidates: the origin, then the affected ones along its path, the ruled-out ones collapsed', async () => {
    const top = report.candidates[0]!;
    const main = await page
      .locator('table.candidates.main tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-candidate')));
    expect(main[0]).toBe(top.service);
    // After the origin: nodes and edges of its path, walking back to the alerting service, each "affected, waiting on".
    const onPath = main.slice(1).map((c: string) => c.split(' -> ').map((n) => top.path.indexOf(n)));
    for (const idx of onPath) expect(Math.min(...idx)).toBeGreaterThanOrEqual(0);
    const order = onPath.map((idx) => Math.max(...idx) + Math.min(...idx));
    expect(order).toEqual([...order].sort((a, b) => b - a));
    for (const v of await page.locator('table.candidates.main tbody tr:not(:first-child) td.verdict-cell').allTextContents())
      expect(v).toBe('affected, waiting on storage-s3');
    const details = page.locator('details.ruled-out');
    expect(await details.getAttribute('open')).toBeNull();
    const others = report.candidates.length - main.length;
    expect(await details.locator('summary').textContent()).toMatch(new RegExp(`^${others} others? checked: `));
    expect(await page.locator('table.candidates.main').textContent()).not.toMatch(/victim|0\.00%\s*$/);
  });

  it('the graph: arrows, a legend, figures on nodes, every route to the origin highlighted, not clipped', async () => {
    expect(await page.locator('svg.graph marker#arrow').count()).toBe(1);
    const edges = page.locator('svg.graph g.edge');
    expect(await edges.count()).toBe(report.graph.edges.length);
    expect(await edges.first().locator('path').getAttribute('marker-end')).toMatch(/url\(#arrow/);
    expect(await page.locator('.graph-legend li').allTextContents()).toEqual(expect.arrayContaining(['origin (root cause)', 'normal']));
    expect(await page.locator('svg.graph g.node.origin[data-node="storage-s3"] text.figures').textContent()).toMatch(/^P99 .* err$/);
    // Every edge into the origin from something the alerting service reaches is on a route (artifact-cache too).
    for (const e of report.graph.edges.filter((x) => x.target === 'storage-s3'))
      expect(await page.locator(`svg.graph g.edge[data-edge="${e.source}->storage-s3"]`).getAttribute('class')).toContain('on-route');
    expect(await page.locator('svg.graph g.edge.on-route text.edge-label').first().textContent()).toMatch(/\/s · P99 /);
    // Not clipped: the drawing is as tall as its box shows.
    const [svgBox, holder] = await Promise.all([page.locator('svg.graph').boundingBox(), page.locator('.graph-box').boundingBox()]);
    expect(holder!.height).toBeGreaterThanOrEqual(svgBox!.height - 1);
  });

  it('the charts: full column width, the origin and the path charted (not the normal ones), the deploy marked', async () => {
    const top = report.candidates[0]!;
    await page.locator(`figure.chart[data-service="${top.service}"] canvas`).waitFor();
    const charted = await page.locator('figure.chart').evaluateAll((fs) => fs.map((f) => f.getAttribute('data-service')));
    expect(charted).toEqual([...top.path].reverse().filter((s) => report.graph.nodes.find((n) => n.id === s)?.kind === 'service'));
    expect(charted).not.toContain('auth');
    const column = (await page.locator('#charts').boundingBox())!.width;
    for (const f of await page.locator('figure.chart .uplot').all())
      expect((await f.boundingBox())!.width).toBeGreaterThanOrEqual(0.9 * column);
    expect(await page.locator(`figure.chart[data-service="storage-s3"]`).getAttribute('data-change-markers')).toBe('1');
    // The legend shows the peak before any cursor moves, in the table's units.
    expect(await page.locator(`figure.chart[data-service="storage-s3"] .u-legend .u-series:nth-child(2) .u-value`).textContent()).toMatch(
      / (ms|s)$/,
    );
    await shot('incident');
  });

  it('the trace page: tied to the incident, candidate and critical path highlighted, a ruler, parents before children', async () => {
    const link = page.locator('#culprit a.exemplar').first();
    expect(await link.getAttribute('href')).toMatch(
      new RegExp(`^/traces/[0-9a-f]{32}\\?incident=${report.id}&candidate=storage-s3&span=[0-9a-f]{16}$`),
    );
    await link.click();
    await page.locator('ol.waterfall li').first().waitFor();
    expect(await page.locator('#back').getAttribute('href')).toBe(`/incidents/${report.id}`);
    expect(await page.locator('.ruler .tick').count()).toBe(5);
    expect(await page.locator('ol.waterfall li.candidate').count()).toBeGreaterThan(0);
    expect(await page.locator('ol.waterfall li.critical').count()).toBeGreaterThan(1);
    const traceId = /\/traces\/([0-9a-f]{32})/.exec(page.url())![1]!;
    const api = (await (await fetch(`${h.api}/api/v1/traces/${traceId}`, { headers: auth })).json()) as {
      spans: { spanId: string; parentSpanId: string }[];
    };
    const shown = await page.locator('ol.waterfall li').evaluateAll((lis) => lis.map((l) => l.getAttribute('data-span')!));
    expect(shown.length).toBe(api.spans.length);
    for (const s of api.spans)
      if (s.parentSpanId && shown.includes(s.parentSpanId)) expect(shown.indexOf(s.parentSpanId)).toBeLessThan(shown.indexOf(s.spanId));
    // The candidate's first span is selected and shown as a table, not a JSON dump.
    expect(await page.locator('table.span-details th').allTextContents()).toEqual(
      expect.arrayContaining([
        'Name',
        'Kind',
        'Span id',
        'Start offset',
        'Duration',
        'Status',
        'Attributes',
        'Resource',
        'Events',
        'Links',
      ]),
    );
    // Red is for errors only: no service colour is red.
    const colours = await page
      .locator('.trace-legend li:not(.legend-error) .svc-dot')
      .evaluateAll((ds) => ds.map((d) => getComputedStyle(d).backgroundColor));
    for (const c of colours) expect(c).not.toMatch(/rgb\((1[89]\d|2\d\d), ([0-7]?\d), ([0-7]?\d)\)/);
    await shot('trace');
  });

  it('the service map: every node of the seed case, paging highlighted, 40 services readable, a node opens its page', async () => {
    await open('/map?start=now-1h');
    const nodes = await page.locator('svg.graph g.node').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-node')));
    for (const n of report.graph.nodes) expect(nodes).toContain(n.id);
    expect(nodes.length).toBeGreaterThanOrEqual(40);
    expect(await page.locator('svg.graph g.node.paging[data-node="builder"]').count()).toBe(1);
    // Readable: drawn at its natural size (13 px names), scrolling inside its box rather than shrunk.
    const size = await page
      .locator('svg.graph text.name')
      .first()
      .evaluate((t) => t.getBoundingClientRect().height);
    expect(size).toBeGreaterThanOrEqual(12);
    expect(await page.locator('svg.graph a g[data-node="storage-s3"]').count()).toBe(1);
    await shot('map');
    await page.locator('svg.graph a:has(g[data-node="storage-s3"])').click();
    await page.locator('h1', { hasText: 'storage-s3' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/services/storage-s3');
    expect(await page.locator('section[aria-label="Called by"] a').allTextContents()).toEqual(expect.arrayContaining(['git-proxy']));
    await shot('service');
  });

  it('an unknown incident says so', async () => {
    await open('/incidents/inc_does_not_exist');
    expect(await page.locator('h1').textContent()).toBe('Not found');
    expect(await page.locator('#not-found').textContent()).toContain('no incident inc_does_not_exist');
  });

  it('every page says its times are UTC', async () => {
    for (const path of pages()) {
      await open(path);
      expect(await page.locator('nav .tz').textContent(), path).toBe('times in UTC');
      expect(await page.locator('#app').textContent(), path).not.toMatch(/\d{1,2}\/\d{1,2}\/\d{4}/);
    }
  });

  it('at 420 px nothing overflows sideways, names stay whole, names link and high error rates stand out', async () => {
    await page.setViewportSize({ width: 420, height: 900 });
    for (const path of pages()) {
      await open(path);
      const [scroll, client, widest] = await page.evaluate(() => {
        const c = document.documentElement.clientWidth;
        const over = [...document.querySelectorAll('body *')]
          .filter(
            (e) => (e.getBoundingClientRect().right > c + 0.5 && !e.closest('.graph-box, .scroll')) || e.scrollWidth > e.clientWidth + 1,
          )
          .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`);
        return [document.documentElement.scrollWidth, c, over.slice(0, 5).join(', ')] as const;
      });
      expect(scroll, `${path} is ${scroll} px wide in a ${client} px window: ${widest}`).toBeLessThanOrEqual(client);
    }
    await open('/services?start=now-2h');
    const name = page.locator('table.services tbody th a', { hasText: 'ci-gateway' });
    expect(await name.getAttribute('href')).toBe('/services/ci-gateway');
    expect((await name.boundingBox())!.height).toBeLessThan(24); // one line: not broken at the hyphen
    const s3 = page.locator('table.services tbody tr', { hasText: 'storage-s3' });
    const rate = Number((await s3.locator('td[data-label="Requests/s"]').textContent())!);
    expect(rate).toBeCloseTo(1400 / (79 * 60), 1);
    // Over the last 15 minutes storage-s3 fails ~10% of its requests: flagged in words, not only colour.
    await open('/services?start=now-15m');
    expect(await page.locator('table.services tbody tr', { hasText: 'storage-s3' }).locator('td.high').textContent()).toMatch(/% high$/);
    await shot('services-narrow');
    await open(`/incidents/${report.id}`);
    await shot('incident-narrow');
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  for (const theme of ['light', 'dark'] as const)
    it(`an accessibility scan (axe-core) finds nothing serious on any page, ${theme} theme`, async () => {
      await page.emulateMedia({ colorScheme: theme });
      for (const path of pages()) {
        await open(path);
        await page.addScriptTag({ path: AXE });
        const violations = await page.evaluate(async () => {
          const axe = (
            window as unknown as {
              axe: { run: (o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
            }
          ).axe;
          const r = await axe.run({ resultTypes: ['violations'] });
          return r.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map(
              (v) =>
                `${v.id} (${v.impact}): ${v.nodes
                  .slice(0, 3)
                  .map((n: { target: string[] }) => n.target.join(' '))
                  .join(', ')}`,
            );
        });
        expect(violations, `${path} in the ${theme} theme`).toEqual([]);
      }
      if (theme === 'dark') {
        await open(`/incidents/${report.id}`);
        await shot('incident-dark');
      }
      await page.emulateMedia({ colorScheme: 'light' });
    });
});
