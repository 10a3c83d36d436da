/**
 * Notifications to a local HTTP receiver (issue 17): one message per state change (first analysis, resolution), in
 * faultline's JSON and in Slack's Block Kit, retried when the receiver answers 503, never sent twice; and a receiver
 * that never answers does not slow ingest or the API.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/rca/report.js';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { encodeProto } from '../sim/otlp-encode.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

interface Received {
  path: string;
  body: Record<string, unknown>;
}

/** Records every POST; answers 503 to the first `fail` requests of each path, and never answers paths under /dead. */
async function receiver(fail: number): Promise<{ url: string; received: Received[]; attempts: Map<string, number>; server: Server }> {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      if (path.startsWith('/dead')) return; // hangs: the notifier's timeout ends it
      const n = (attempts.get(path) ?? 0) + 1;
      attempts.set(path, n);
      if (n <= fail) {
        res.statusCode = 503;
        return res.end('busy');
      }
      received.push({ path, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, attempts, server };
}

const now = Date.now();
let h: Harness;
let rx: Awaited<ReturnType<typeof receiver>>;

beforeAll(async () => {
  rx = await receiver(1);
  h = await startHarness({
    FAULTLINE_NOTIFY_WEBHOOK_URLS: `${rx.url}/hook,${rx.url}/dead/hook`,
    FAULTLINE_NOTIFY_SLACK_URLS: `${rx.url}/services/T000/B000/XXXX`,
    FAULTLINE_PUBLIC_URL: 'https://faultline.example.com',
    FAULTLINE_PAIR_WAIT_MS: '500',
  });
  const start = now - 20 * 60_000;
  const baseline = simulate(ciPipeline, { seed: 1, startMs: start - 60 * 60_000, durationMs: 60 * 60_000, requests: 800 });
  const incident = simulate(ciPipeline, {
    seed: 2,
    startMs: start,
    durationMs: 19 * 60_000,
    requests: 300,
    faults: [{ kind: 'latency', service: 'storage-s3', factor: 13 }],
  });
  await sendSpans(h.otlpHttp, [...baseline.spans, ...incident.spans]);
});
afterAll(async () => {
  await h.stop();
  rx.server.closeAllConnections();
  await new Promise((r) => rx.server.close(r));
});

const post = (alerts: Parameters<typeof alertmanagerWebhook>[0]) =>
  fetch(`${h.api}/api/v1/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alertmanagerWebhook(alerts)),
  });

async function until<T>(what: string, get: () => T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('incident notifications', () => {
  let id = '';

  it('the first analysis is told once to each receiver, after a 503 retried: JSON with the link, and Slack blocks', async () => {
    const res = await post([{ service: 'builder', startsAt: new Date(now - 5 * 60_000) }]);
    id = ((await res.json()) as { incidents: { id: string }[] }).incidents[0]!.id;
    const hook = await until('the webhook message', () => rx.received.find((r) => r.path === '/hook'));
    expect(rx.attempts.get('/hook')).toBe(2);
    expect(hook.body.event).toBe('analysed');
    expect(hook.body.url).toBe(`https://faultline.example.com/incidents/${id}`);
    const report = hook.body.incident as Report;
    expect(report.id).toBe(id);
    expect(report.candidates[0]!.service).toBe('storage-s3');
    const slack = await until('the Slack message', () => rx.received.find((r) => r.path.startsWith('/services/')));
    const blocks = slack.body.blocks as { text?: { text: string } }[];
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(slack.body)).toContain('storage-s3');
    for (const b of blocks) expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
  });

  it('a re-analysis with the same top candidate sends nothing; the resolution is told once', async () => {
    await fetch(`${h.api}/api/v1/incidents/${id}/reanalyze`, { method: 'POST' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(rx.received.filter((r) => r.path === '/hook')).toHaveLength(1);
    await post([{ service: 'builder', startsAt: new Date(now - 5 * 60_000), endsAt: new Date(now), status: 'resolved' }]);
    const resolved = await until('the resolution', () => rx.received.find((r) => r.path === '/hook' && r.body.event === 'resolved'));
    expect((resolved.body.incident as Report).alertStatus).toBe('resolved');
    await new Promise((r) => setTimeout(r, 1500)); // the re-analysis over the whole incident, same top: nothing more
    expect(rx.received.filter((r) => r.path === '/hook').map((r) => r.body.event)).toEqual(['analysed', 'resolved']);
    expect(rx.received.filter((r) => r.path.startsWith('/services/'))).toHaveLength(2);
  });

  it('a receiver that never answers slows neither ingest nor the API, and its failures are counted', async () => {
    const spans = simulate(ciPipeline, { seed: 9, startMs: Date.now() - 60_000, durationMs: 30_000, requests: 20 }).spans;
    const t = performance.now();
    const res = await fetch(`${h.otlpHttp}/v1/traces`, {
      method: 'POST',
      body: encodeProto(spans),
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(res.status).toBe(200);
    expect(performance.now() - t).toBeLessThan(2000);
    const api = performance.now();
    expect((await fetch(`${h.api}/api/v1/incidents`)).status).toBe(200);
    expect(performance.now() - api).toBeLessThan(1000);
    const metrics = await (await fetch(`${h.api}/metrics`)).text();
    expect(metrics).toMatch(/^faultline_notifications_total\{kind="webhook",outcome="sent"\} 2$/m);
    expect(metrics).toMatch(/^faultline_notification_queue \d+$/m);
  });
});
