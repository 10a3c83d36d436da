/**
 * The closed loop on chDB (issue 22): a burn-rate alert of an SLO opens an incident that records the SLO, its burn
 * rate and budget; the analysis names the failing deploy; the guarded action is POSTed once (retried after a 503,
 * same idempotency key), recorded and shown on the incident; the dry-run action is recorded and never sent; a later
 * analysis naming another origin sends nothing and waits for a person; the resolution records MTTR and the budget
 * spent, in the stats endpoint and the histograms. The action receiver is a real HTTP server in this process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardedActions, type ActionRequest } from '../../src/actions/guarded-actions.js';
import { silentLogger } from '../../src/log.js';
import type { Report } from '../../src/rca/report.js';
import { parseSloFile } from '../../src/slo/slo-file.js';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { waitDone } from '../helpers/wait-done.js';
import { simulate } from '../sim/simulate.js';
import { shop } from '../sim/topology.js';

const MIN = 60_000;
const now = Date.now();
let h: Harness;
let receiver: Server;
let receiverUrl: string;
let dryRunUrl: string;
const received: { path: string; key: string; body: ActionRequest }[] = [];
let failFirst = 1;
let sloFileText: string;

async function readBody(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const c of req) s += String(c);
  return s;
}

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as ActionRequest;
    received.push({ path: req.url ?? '', key: String(req.headers['idempotency-key']), body });
    if (failFirst-- > 0) res.writeHead(503).end('deployer busy');
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"rollback":"started"}');
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const port = (receiver.address() as { port: number }).port;
  receiverUrl = `http://127.0.0.1:${port}/rollback`;
  dryRunUrl = `http://127.0.0.1:${port}/dry-run-only`;
  const dir = mkdtempSync(join(tmpdir(), 'faultline-actions-'));
  sloFileText = `slos:
  - name: checkout-availability
    service: checkout
    objective: 99.9
    sli: { type: availability }
    window: 1d
actions:
  - url: ${receiverUrl}
    minConfidence: 0.5
    requireVersionChange: true
    dryRun: false
  - url: ${dryRunUrl}
    minConfidence: 0.5
`;
  writeFileSync(join(dir, 'slos.yaml'), sloFileText);
  h = await startHarness({ FAULTLINE_SLO_FILE: join(dir, 'slos.yaml'), FAULTLINE_PAIR_WAIT_MS: '1000' });
  const faultStart = now - 10 * MIN;
  const healthy = simulate(shop, {
    seed: 11,
    startMs: now - 50 * MIN,
    durationMs: 40 * MIN,
    requests: 12_000,
    versions: { payment: '1.9.0' },
  });
  const faulty = simulate(shop, {
    seed: 12,
    startMs: faultStart,
    durationMs: 10 * MIN,
    requests: 3000,
    versions: { payment: '2.0.0' },
    errorPropagation: 1,
    faults: [{ kind: 'errors', service: 'payment', rate: 0.3 }],
  });
  await sendSpans(h.otlpHttp, [...healthy.spans, ...faulty.spans]);
  await h.app.settleGraph();
}, 120_000);

afterAll(async () => {
  await h?.stop();
  receiver?.close();
});

const alertAt = new Date(now - 8 * MIN);
const burnAlert = (status: 'firing' | 'resolved') =>
  alertmanagerWebhook(
    [
      {
        service: 'checkout',
        labelName: 'service',
        alertname: 'SLOErrorBudgetBurn',
        status,
        startsAt: alertAt,
        ...(status === 'resolved' ? { endsAt: new Date(now) } : {}),
        fingerprint: 'a1b2c3d4e5f60718',
        labels: { slo: 'checkout-availability', long_window: '1h', short_window: '5m', burn_rate: '14.4' },
      },
    ],
    status,
  );

async function post(path: string, body: unknown) {
  return fetch(`${h.api}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('burn-rate alert -> analysis -> guarded action -> resolution', () => {
  let id: string;

  it('the incident records the SLO, its burn rate and the budget left; the analysis names the deploy', async () => {
    const res = await post('/api/v1/alerts/alertmanager', burnAlert('firing'));
    expect(res.status).toBe(202);
    id = ((await res.json()) as { incidents: { id: string }[] }).incidents[0]!.id;
    const report = await waitDone(h.api, id);
    expect(report.slo).toMatchObject({
      name: 'checkout-availability',
      objective: 99.9,
      sli: 'availability',
      window: '1d',
      burnWindow: '1h',
    });
    // ~30% of payments fail and every failure reaches checkout, against a 0.1% budget.
    expect(report.slo!.burnRate!).toBeGreaterThan(14.4);
    expect(report.slo!.budgetRemaining!).toBeLessThan(1);
    expect(report.verdict).toBe('origin_found');
    expect(report.candidates[0]!.service).toBe('payment');
    expect(report.candidates[0]!.evidence.changes?.[0]).toMatchObject({ attribute: 'service.version', from: '1.9.0', to: '2.0.0' });
    expect(report.timeToRootCauseSeconds).toBeGreaterThan(0);
  }, 60_000);

  it('the action is sent once, retried after a 503 with the same key, recorded and shown; the dry run is recorded only', async () => {
    const report = await until('the actions', async () => {
      const r = (await (await fetch(`${h.api}/api/v1/incidents/${id}`)).json()) as Report;
      return r.actions?.length === 2 ? r : undefined;
    });
    const sent = report.actions!.find((a) => a.url === receiverUrl)!;
    expect(sent).toMatchObject({ status: 'sent', origin: 'payment', action: 'rollback' });
    expect(sent.response).toContain('rollback');
    expect(report.actions!.find((a) => a.url === dryRunUrl)).toMatchObject({ status: 'dry_run', origin: 'payment' });
    expect(received.map((r) => r.path)).toEqual(['/rollback', '/rollback']);
    expect(new Set(received.map((r) => r.key))).toEqual(new Set([sent.idempotencyKey]));
    expect(received[1]!.body).toMatchObject({
      dryRun: false,
      incident: { id, service: 'checkout', slo: { name: 'checkout-availability' } },
      origin: { name: 'payment' },
      suggestedAction: { type: 'rollback', service: 'payment', fromVersion: '2.0.0', toVersion: '1.9.0' },
    });
  }, 60_000);

  it('analysing again never sends a second action', async () => {
    await post(`/api/v1/incidents/${id}/reanalyze`, {});
    await new Promise((r) => setTimeout(r, 300));
    await waitDone(h.api, id);
    await new Promise((r) => setTimeout(r, 500));
    expect(received).toHaveLength(2);
  }, 60_000);

  it('another origin later is recorded as skipped, not sent, until a person confirms', async () => {
    const report = (await (await fetch(`${h.api}/api/v1/incidents/${id}`)).json()) as Report;
    // The same guard as the running instance's (the audit table is the guard), fed a report that names another origin.
    const other = { ...report.candidates[0]!, service: 'checkout' };
    const guard = new GuardedActions(
      h.app.store,
      () => parseSloFile(sloFileText, 'slos.yaml').actions,
      { attempts: 2, firstRetryMs: 10, timeoutMs: 2000 },
      new Registry(),
      silentLogger,
    );
    guard.noteReport({ ...report, candidates: [other, ...report.candidates.slice(1)] });
    // One skip per action of the file (the sent one and the dry run): both already acted on another origin.
    const recorded = await until('the skips', async () => {
      const r = await guard.recorded(id);
      return r.filter((a) => a.status === 'skipped').length === 2 ? r : undefined;
    });
    expect(recorded.filter((a) => a.status === 'skipped').map((a) => a.origin)).toEqual(['checkout', 'checkout']);
    expect(received).toHaveLength(2);
    const confirmed = await post(`/api/v1/incidents/${id}/actions`, {});
    expect(confirmed.status).toBe(202);
    expect(received).toHaveLength(3);
    expect(received[2]!.body.confirmedByPerson).toBe(true);
  }, 60_000);

  it('the resolution records MTTR and the budget spent; stats and histograms have them', async () => {
    expect((await post('/api/v1/alerts/alertmanager', burnAlert('resolved'))).status).toBe(202);
    const report = await until('the resolution', async () => {
      const r = (await (await fetch(`${h.api}/api/v1/incidents/${id}`)).json()) as Report;
      return r.alertStatus === 'resolved' ? r : undefined;
    });
    expect(report.durationSeconds).toBe(8 * 60);
    expect(report.slo!.budgetSpentDuring!).toBeGreaterThan(0);
    const stats = (await (await fetch(`${h.api}/api/v1/incidents/stats?service=checkout&start=now-1h`)).json()) as Record<string, unknown>;
    expect(stats).toMatchObject({ count: 1, resolved: 1, mttrSeconds: 480, rootCauseNamed: 1 });
    expect(stats.services).toEqual([expect.objectContaining({ service: 'checkout', count: 1, mttrSeconds: 480 })]);
    const metrics = await (await fetch(`${h.api}/metrics`)).text();
    expect(metrics).toMatch(/faultline_incident_duration_seconds_count\{service="checkout"\} 1/);
    expect(metrics).toMatch(/faultline_time_to_root_cause_seconds_count\{service="checkout"\} 1/);
    expect(metrics).toMatch(/faultline_actions_total\{outcome="sent"\} 2/);
  }, 60_000);
});
