/**
 * The first hour of a real install (issue 29), with the real programs: faultline and Prometheus start on an empty
 * history with the *shipped* rules (deploy/faultline-rules.yml, time-compressed: 5-minute rates become 20 s, a day of
 * memory 30 min, `for: 2m` 15 s), an OTel SDK shop sends spans, a first fault outlasts the healthy history (a
 * reference that learned the fault would resolve the alert mid-fault: it must keep firing), and a second fault on
 * another dependency follows soon after the first ends (named, not confused with the first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/rca/report.js';
import { startMonitoring } from './monitoring.js';
import { ProcessGroup, freePort, waitFor } from './processes.js';
import { checkRanking } from './ranking-check.js';
import { TracedShop } from './traced-shop.js';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'faultline-young-'));
const procs = new ProcessGroup(dir);
let shop: TracedShop | undefined;
let ports: { api: number; grpc: number; prom: number; am: number };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The shipped rules with their durations compressed, everything else as shipped. */
function compressedRules(): string {
  const shipped = readFileSync(join(ROOT, 'deploy/faultline-rules.yml'), 'utf8');
  const out = shipped
    .replaceAll('[5m]', '[20s]')
    .replaceAll('[1d]', '[30m]')
    .replace(/^(\s+)for: 2m$/m, '$1for: 15s')
    .replace('  - name: faultline-latency\n', '  - name: faultline-latency\n    interval: 2s\n');
  // Fails loudly when the shipped file changes shape and the compression no longer applies.
  for (const part of [/\[20s\]/, /\[30m\]/, /^\s+for: 15s$/m, /interval: 2s/, /ALERTS\{alertname="ServiceP99LatencyHigh"\}/])
    if (!part.test(out)) throw new Error(`compressing deploy/faultline-rules.yml: ${String(part)} missing`);
  return out;
}

interface PromAlert {
  state: string;
  labels: Record<string, string>;
}
const frontendAlert = async (): Promise<PromAlert | undefined> => {
  const body = (await (await fetch(`http://127.0.0.1:${ports.prom}/api/v1/alerts`)).json()) as { data: { alerts: PromAlert[] } };
  return body.data.alerts.find((a) => a.labels.service_name === 'frontend' && a.labels.alertname === 'ServiceP99LatencyHigh');
};
const incidents = async (): Promise<Report[]> =>
  (await (await fetch(`http://127.0.0.1:${ports.api}/api/v1/incidents?service=frontend`)).json()) as Report[];
const analysed = (id: string): Promise<Report> =>
  waitFor(`incident ${id} analysed`, 90_000, async () => {
    const r = (await (await fetch(`http://127.0.0.1:${ports.api}/api/v1/incidents/${id}`)).json()) as Report;
    return r.status === 'done' || r.status === 'failed' ? r : undefined;
  });

beforeAll(async () => {
  ports = { api: await freePort(), grpc: await freePort(), prom: await freePort(), am: await freePort() };
  procs.start('faultline', process.execPath, [join(ROOT, 'dist/src/main.js'), 'serve'], {
    FAULTLINE_DATA_DIR: join(dir, 'faultline-data'),
    FAULTLINE_API_ADDR: `127.0.0.1:${ports.api}`,
    FAULTLINE_OTLP_GRPC_ADDR: `127.0.0.1:${ports.grpc}`,
    FAULTLINE_OTLP_HTTP_ADDR: '127.0.0.1:0',
    FAULTLINE_PAIR_WAIT_MS: '2000',
  });
  writeFileSync(join(dir, 'faultline-rules.yml'), compressedRules());
  // As shipped, only alerts labelled faultline="analyse" go to faultline.
  await startMonitoring(procs, ports, { ruleFile: join(dir, 'faultline-rules.yml'), evaluationInterval: '2s', routedOnly: true });
}, 120_000);

afterAll(async () => {
  await shop?.stop().catch(() => undefined);
  await procs.stopAll();
}, 60_000);

describe('a young install', () => {
  it('pages on the shipped rules, keeps paging while a long fault lasts, then names a second fault', async () => {
    try {
      shop = new TracedShop(`http://127.0.0.1:${ports.grpc}`);
      shop.start();
      // A young install: 90 s of healthy history, then the first fault.
      await sleep(90_000);
      shop.slowInventory = true;
      const faultStart = Date.now();
      await waitFor('the shipped rule to fire', 120_000, async () => ((await frontendAlert())?.state === 'firing' ? true : undefined));
      // The fault lasts past the healthy history (150 s > 90 s): the alert must keep firing the whole time.
      while (Date.now() - faultStart < 150_000) {
        const a = await frontendAlert();
        expect(a?.state, `the alert stopped ${Math.round((Date.now() - faultStart) / 1000)} s into the fault`).toBe('firing');
        await sleep(3000);
      }
      const first = await waitFor('an incident for the first fault', 60_000, async () => (await incidents())[0]);
      const r1 = await analysed(first.id);
      const v1 = checkRanking(r1, 'inventory');
      expect(v1.ok, `${v1.message}\n${JSON.stringify(r1.candidates.slice(0, 3), null, 1)}`).toBe(true);

      shop.slowInventory = false;
      await waitFor('the alert to resolve after the first fault', 120_000, async () => ((await frontendAlert()) ? undefined : true));
      // The second fault, another dependency, soon after the first ended.
      await sleep(20_000);
      shop.slowDb = true;
      await waitFor('the shipped rule to fire again', 120_000, async () =>
        (await frontendAlert())?.state === 'firing' ? true : undefined,
      );
      const second = await waitFor('a second incident', 60_000, async () => (await incidents()).find((i) => i.id !== first.id));
      const r2 = await analysed(second.id);
      const v2 = checkRanking(r2, 'postgresql:stock');
      expect(v2.ok, `${v2.message}\n${JSON.stringify(r2.candidates.slice(0, 3), null, 1)}\n${r2.summary}`).toBe(true);
      console.log(
        `young install: first page named ${r1.candidates[0]!.service} in ${r1.timeToRootCauseSeconds} s, second ${r2.candidates[0]!.service} in ${r2.timeToRootCauseSeconds} s`,
      );
    } catch (err) {
      console.error(`e2e failed; logs are in ${dir}\n${procs.logs()}`);
      throw err;
    }
  }, 600_000);
});
