/**
 * The whole loop with the real programs: an OTel SDK app -> faultline -> Prometheus (scraping /metrics, P99 rule)
 * -> Alertmanager (webhook) -> faultline incident -> RCA ranks the faulty service first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/rca/report.js';
import { startMonitoring } from './monitoring.js';
import { ProcessGroup, freePort, waitFor } from './processes.js';
import { checkRanking } from './ranking-check.js';
import { TracedShop } from './traced-shop.js';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'faultline-e2e-'));
const procs = new ProcessGroup(dir);
let shop: TracedShop | undefined;
let ports: { api: number; grpc: number; prom: number; am: number; amCluster: number };

beforeAll(async () => {
  ports = { api: await freePort(), grpc: await freePort(), prom: await freePort(), am: await freePort(), amCluster: await freePort() };
  procs.start('faultline', process.execPath, [join(ROOT, 'dist/src/main.js'), 'serve'], {
    FAULTLINE_DATA_DIR: join(dir, 'faultline-data'),
    FAULTLINE_API_ADDR: `127.0.0.1:${ports.api}`,
    FAULTLINE_OTLP_GRPC_ADDR: `127.0.0.1:${ports.grpc}`,
    FAULTLINE_OTLP_HTTP_ADDR: '127.0.0.1:0',
    FAULTLINE_PAIR_WAIT_MS: '2000',
    FAULTLINE_RCA_LOOKBACK: '30s',
    FAULTLINE_RCA_BASELINE: '150s',
  });
  await startMonitoring(procs, ports, {
    ruleFile: join(ROOT, 'deploy/e2e/faultline-rules.yml'),
    evaluationInterval: '1s',
    routedOnly: false,
  });
}, 120_000);

afterAll(async () => {
  await shop?.stop().catch(() => undefined);
  await procs.stopAll();
}, 60_000);

describe('page to root cause', () => {
  it('a slow inventory pages on frontend P99, and faultline ranks inventory first', async () => {
    try {
      shop = new TracedShop(`http://127.0.0.1:${ports.grpc}`);
      shop.start();
      // Healthy traffic long enough to be the baseline (whole minutes: the rollups' resolution).
      await new Promise((r) => setTimeout(r, 150_000));
      shop.slowInventory = true;
      const alert = await waitFor('the alert to fire in Prometheus', 120_000, async () => {
        const body = (await (await fetch(`http://127.0.0.1:${ports.prom}/api/v1/alerts`)).json()) as {
          data: { alerts: { state: string; labels: Record<string, string> }[] };
        };
        return body.data.alerts.find((a) => a.state === 'firing' && a.labels.service_name === 'frontend');
      });
      expect(alert.labels.alertname).toBe('ServiceP99LatencyHigh');
      const incident = await waitFor("Alertmanager's webhook to open an incident in faultline", 120_000, async () => {
        const list = (await (await fetch(`http://127.0.0.1:${ports.api}/api/v1/incidents?service=frontend`)).json()) as Report[];
        return list[0];
      });
      const done = await waitFor('the incident analysis to finish', 60_000, async () => {
        const r = (await (await fetch(`http://127.0.0.1:${ports.api}/api/v1/incidents/${incident.id}`)).json()) as Report;
        return r.status === 'done' || r.status === 'failed' ? r : undefined;
      });
      const verdict = checkRanking(done, 'inventory');
      expect(verdict.ok, `${verdict.message}\n${JSON.stringify(done.candidates.slice(0, 4), null, 1)}`).toBe(true);
      expect(done.alert?.labels.service_name).toBe('frontend');
      expect(done.candidates[0]!.path).toEqual(['frontend', 'cart', 'inventory']);
    } catch (err) {
      console.error(`e2e failed; logs are in ${dir}\n${procs.logs()}`);
      throw err;
    }
  }, 420_000);
});
