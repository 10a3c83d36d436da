/**
 * The closed loop with the real programs (issue 22): an SLO file, the rules `faultline slo rules --windows-scale`
 * prints (checked by promtool) loaded into Prometheus, an OTel SDK shop whose inventory starts failing, the
 * burn-rate alert firing through Alertmanager into faultline, the incident recording the SLO and naming inventory,
 * and, once the failures stop and the alert resolves, the time to root cause and the MTTR recorded and counted.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/rca/report.js';
import { startMonitoring } from './monitoring.js';
import { ProcessGroup, freePort, waitFor } from './processes.js';
import { checkRanking } from './ranking-check.js';
import { TracedShop } from './traced-shop.js';

const ROOT = join(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/src/main.js');
const dir = mkdtempSync(join(tmpdir(), 'faultline-slo-e2e-'));
const procs = new ProcessGroup(dir);
let shop: TracedShop | undefined;
let ports: { api: number; grpc: number; prom: number; am: number };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SLO_FILE = join(dir, 'slos.yaml');

interface PromAlert {
  state: string;
  labels: Record<string, string>;
}
const burnAlerts = async (): Promise<PromAlert[]> => {
  const body = (await (await fetch(`http://127.0.0.1:${ports.prom}/api/v1/alerts`)).json()) as { data: { alerts: PromAlert[] } };
  return body.data.alerts.filter((a) => a.labels.alertname === 'SLOErrorBudgetBurn' && a.labels.slo === 'checkout-availability');
};
const api = async <T>(path: string): Promise<T> => (await (await fetch(`http://127.0.0.1:${ports.api}${path}`)).json()) as T;

beforeAll(async () => {
  ports = { api: await freePort(), grpc: await freePort(), prom: await freePort(), am: await freePort() };
  writeFileSync(
    SLO_FILE,
    'slos:\n  - name: checkout-availability\n    service: frontend\n    objective: 99\n    sli: { type: availability }\n    window: 1d\n',
  );
  // The rules as a user makes them: the command, scaled 100x shorter (1h -> 36 s, 5m -> 3 s), checked by promtool.
  const rules = execFileSync(process.execPath, [MAIN, 'slo', 'rules', '--file', SLO_FILE, '--windows-scale', '0.01'], { encoding: 'utf8' });
  writeFileSync(join(dir, 'slo-rules.yml'), rules);
  expect(execFileSync('promtool', ['check', 'rules', join(dir, 'slo-rules.yml')], { encoding: 'utf8' })).toContain('SUCCESS');
  procs.start('faultline', process.execPath, [MAIN, 'serve'], {
    FAULTLINE_DATA_DIR: join(dir, 'faultline-data'),
    FAULTLINE_API_ADDR: `127.0.0.1:${ports.api}`,
    FAULTLINE_OTLP_GRPC_ADDR: `127.0.0.1:${ports.grpc}`,
    FAULTLINE_OTLP_HTTP_ADDR: '127.0.0.1:0',
    FAULTLINE_PAIR_WAIT_MS: '2000',
    FAULTLINE_SLO_FILE: SLO_FILE,
    FAULTLINE_SLO_EVALUATE_INTERVAL: '5s',
  });
  await startMonitoring(procs, ports, { ruleFile: join(dir, 'slo-rules.yml'), evaluationInterval: '2s', routedOnly: true });
}, 120_000);

afterAll(async () => {
  await shop?.stop().catch(() => undefined);
  await procs.stopAll();
}, 60_000);

describe('burn-rate paging into the analysis', () => {
  it('the burn-rate alert opens an incident that names the failing dependency; TTRC and MTTR are recorded', async () => {
    try {
      shop = new TracedShop(`http://127.0.0.1:${ports.grpc}`);
      shop.start();
      await sleep(60_000);
      expect(await burnAlerts()).toEqual([]);
      // A third of stock checks fail: ~33% of checkouts against a 1% budget, a 33x burn.
      shop.failingInventory = 0.33;
      const faultStart = Date.now();
      const alert = await waitFor('the page-level burn-rate alert', 120_000, async () =>
        (await burnAlerts()).find((a) => a.state === 'firing' && a.labels.severity === 'page'),
      );
      expect(alert.labels).toMatchObject({ service: 'frontend', slo: 'checkout-availability', faultline: 'analyse' });
      // The ticket-level alert (1x over 3d and 6h) fires too and opens its own incident: follow the page's.
      const incident = await waitFor('the page-level incident', 60_000, async () =>
        (await api<Report[]>('/api/v1/incidents?service=frontend&view=full')).find((r) => r.alert?.labels.severity === 'page'),
      );
      // Scaled 100x, the page comes seconds into the failures, when the store holds little of them; the analyses
      // that follow while it fires (every minute) see more. Time to root cause counts until one names the origin.
      const report = await waitFor('an analysis that names an origin', 180_000, async () => {
        const r = await api<Report>(`/api/v1/incidents/${incident.id}`);
        return r.status === 'failed' || r.verdict === 'origin_found' ? r : undefined;
      });
      expect(report.slo).toMatchObject({ name: 'checkout-availability', sli: 'availability', window: '1d' });
      // As Prometheus saw it when it paged (the alert's annotation): above that alert's threshold (14.4x or 6x).
      expect(report.slo!.burnRate!).toBeGreaterThan(Number(report.alert!.labels.burn_rate));
      expect(Number(report.alert!.labels.burn_rate)).toBeGreaterThanOrEqual(6);
      const verdict = checkRanking(report, 'inventory');
      expect(verdict.ok, `${verdict.message}\n${JSON.stringify(report.candidates.slice(0, 3), null, 1)}\n${report.summary}`).toBe(true);
      expect(report.timeToRootCauseSeconds).not.toBeNull();

      // The failures stop; the short window clears within seconds and the alerts resolve.
      shop.failingInventory = 0;
      const resolved = await waitFor('the resolution', 180_000, async () => {
        const r = await api<Report>(`/api/v1/incidents/${incident.id}`);
        return r.alertStatus === 'resolved' ? r : undefined;
      });
      expect(resolved.durationSeconds).toBeGreaterThan(0);
      expect(resolved.slo!.budgetSpentDuring!).toBeGreaterThan(0);
      const stats = await api<{ count: number; resolved: number; mttrSeconds: number; medianTimeToRootCauseSeconds: number }>(
        '/api/v1/incidents/stats?service=frontend&start=now-1h',
      );
      expect(stats.resolved).toBeGreaterThanOrEqual(1);
      expect(stats.mttrSeconds).toBeGreaterThan(0);
      expect(stats.medianTimeToRootCauseSeconds).not.toBeNull();
      const metrics = await (await fetch(`http://127.0.0.1:${ports.api}/metrics`)).text();
      expect(metrics).toMatch(/faultline_incident_duration_seconds_count\{service="frontend"\} [1-9]/);
      expect(metrics).toMatch(/faultline_time_to_root_cause_seconds_count\{service="frontend"\} [1-9]/);
      expect(metrics).toMatch(/faultline_slo_burn_rate\{slo="checkout-availability",window="5m"\}/);
      console.log(
        `SLO burn: alert after ${Math.round((Date.parse(report.alert!.startsAt) - faultStart) / 1000)} s of failures, ` +
          `${report.candidates[0]!.service} named ${report.timeToRootCauseSeconds} s after the alert (burn ${report.slo!.burnRate!.toFixed(1)}x), ` +
          `resolved after ${resolved.durationSeconds} s; MTTR ${stats.mttrSeconds} s`,
      );
    } catch (err) {
      console.error(`e2e failed; logs are in ${dir}\n${procs.logs()}`);
      throw err;
    }
  }, 600_000);
});
