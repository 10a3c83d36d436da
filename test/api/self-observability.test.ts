/**
 * Faultline's own health: process and runtime metrics, build info, API request counters and latency by route
 * pattern, and info log lines an operator can follow (start, incidents opened and analysed, alerts skipped).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultline, type Faultline } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import { sendSpans } from '../helpers/load-spans.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-selfobs-'));
const lines: Record<string, unknown>[] = [];
let app: Faultline;
let api = '';

beforeAll(async () => {
  const log = createLogger('info', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  app = await startFaultline(
    loadConfig({
      FAULTLINE_DATA_DIR: dir,
      FAULTLINE_OTLP_GRPC_ADDR: '127.0.0.1:0',
      FAULTLINE_OTLP_HTTP_ADDR: '127.0.0.1:0',
      FAULTLINE_API_ADDR: '127.0.0.1:0',
      FAULTLINE_PAIR_WAIT_MS: '500',
    }),
    log,
  );
  api = `http://127.0.0.1:${app.ports.api}`;
  const now = Date.now();
  await sendSpans(
    `http://127.0.0.1:${app.ports.http}`,
    simulate(ciPipeline, { seed: 9, startMs: now - 80 * 60_000, durationMs: 75 * 60_000, requests: 300 }).spans,
  );
  await app.settleGraph();
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('self-observability', () => {
  it('exposes process, runtime and build metrics', async () => {
    const text = await (await fetch(`${api}/metrics`)).text();
    for (const name of [
      'process_resident_memory_bytes',
      'process_cpu_seconds_total',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_gc_duration_seconds',
    ])
      expect(text).toContain(name);
    expect(text).toMatch(/faultline_build_info\{version="0\.1\.0",node="v\d+\.\d+\.\d+"\} 1/);
  });

  it('counts API requests and their latency by route pattern, not by raw path', async () => {
    await fetch(`${api}/api/v1/incidents/inc_missing1`);
    await fetch(`${api}/api/v1/incidents/inc_missing2`);
    await fetch(`${api}/api/v1/services`);
    const text = await (await fetch(`${api}/metrics`)).text();
    expect(text).toMatch(/faultline_api_requests_total\{route="\/api\/v1\/incidents\/:id",method="GET",status="404"\} 2/);
    expect(text).toMatch(/faultline_api_requests_total\{route="\/api\/v1\/services",method="GET",status="200"\} 1/);
    expect(text).toMatch(/faultline_api_request_seconds_count\{route="\/api\/v1\/services"\} 1/);
    expect(text).not.toContain('inc_missing');
  });

  it('logs one line per incident state change and per skipped alert', async () => {
    const now = Date.now();
    await fetch(`${api}/api/v1/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        alertmanagerWebhook([
          { service: 'builder', startsAt: new Date(now - 60_000) },
          { service: 'node-exporter', startsAt: new Date(now - 60_000) },
        ]),
      ),
    });
    await app.incidents.idle();
    const msgs = lines.map((l) => l.msg);
    expect(msgs).toContain('faultline started');
    expect(msgs.filter((m) => m === 'incident opened')).toHaveLength(1);
    expect(msgs.filter((m) => m === 'incident analysed')).toHaveLength(1);
    expect(lines.find((l) => l.msg === 'alert skipped')).toMatchObject({ service: 'node-exporter', reason: 'no_spans' });
  });
});
