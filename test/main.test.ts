/**
 * The real `faultline serve` process: readiness, bad config, busy port, SIGTERM under load losing nothing acked,
 * SIGTERM with slow clients attached ending within the grace, and SIGKILL mid-load: after a restart on the same data dir every acknowledged span is there, no staged file left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { connect as connectHttp2 } from 'node:http2';
import { freePort } from './helpers/free-port.js';
import { runServe } from './helpers/serve-process.js';
import { openExportStream, rawGrpcExport } from './helpers/raw-grpc-export.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/log.js';
import { openStore } from '../src/store/clickhouse-store.js';
import { runMigrations } from '../src/store/migrations.js';
import type { Span } from '../src/span.js';
import { simulate } from './sim/simulate.js';
import { ciPipeline } from './sim/topology.js';
import { encodeProto } from './sim/otlp-encode.js';

const run = runServe;

async function waitReady(apiPort: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${apiPort}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('faultline did not become ready');
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-main-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('faultline serve', () => {
  it('exits 2 with one line naming the variable on bad config', async () => {
    const p = run({ FAULTLINE_DATA_DIR: dir, FAULTLINE_OTLP_GRPC_ADDR: 'nonsense' });
    expect(await p.exited).toBe(2);
    expect(p.stderr().trim().split('\n')).toHaveLength(1);
    expect(p.stderr()).toContain('FAULTLINE_OTLP_GRPC_ADDR');
  });

  it('exits non-zero with a clear message when a port is taken', async () => {
    const blocker: Server = createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    const p = run({
      FAULTLINE_DATA_DIR: join(dir, 'busy'),
      FAULTLINE_API_ADDR: `127.0.0.1:${port}`,
      FAULTLINE_OTLP_GRPC_ADDR: '127.0.0.1:0',
      FAULTLINE_OTLP_HTTP_ADDR: '127.0.0.1:0',
    });
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain(`cannot listen for the API on 127.0.0.1:${port}: the port is already in use`);
    blocker.close();
  });

  it('on SIGTERM during load: exits 0 and every acknowledged span is in the store', async () => {
    const [api, grpcPort] = [await freePort(), await freePort()];
    const dataDir = join(dir, 'sigterm');
    const p = run({
      FAULTLINE_DATA_DIR: dataDir,
      FAULTLINE_API_ADDR: `127.0.0.1:${api}`,
      FAULTLINE_OTLP_GRPC_ADDR: `127.0.0.1:${grpcPort}`,
      FAULTLINE_OTLP_HTTP_ADDR: '127.0.0.1:0',
      FAULTLINE_BATCH_MAX_DELAY_MS: '50',
    });
    await waitReady(api);
    const send = async (body: Buffer) => (await rawGrpcExport(grpcPort, body)) === null;
    const acked: Span[] = [];
    let seed = 1;
    let stop = false;
    const senders = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const spans = simulate(ciPipeline, { seed: seed++, startMs: Date.now() - 60_000, durationMs: 10_000, requests: 20 }).spans;
        // A refused export (UNAVAILABLE while stopping) is the exporter's to retry; only acked spans must be kept.
        if (await send(encodeProto(spans))) acked.push(...spans);
      }
    });
    await new Promise((r) => setTimeout(r, 1500));
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    stop = true;
    await Promise.all(senders);
    expect(acked.length).toBeGreaterThan(1000);

    const store = await openStore({ dataDir, clickhouseUrl: undefined });
    await runMigrations(store, { cluster: undefined, retentionDays: 7 }, silentLogger);
    const ids = new Set(
      (await store.query('spans_for_traces', { traceIds: [...new Set(acked.map((s) => s.traceId))] })).map((r) => r.spanId),
    );
    await store.close();
    const missing = acked.filter((s) => !ids.has(s.spanId));
    expect(missing).toHaveLength(0);
  });

  it('on SIGTERM with slow and stalled clients attached: exits within the shutdown grace, every acked span kept', async () => {
    const [api, grpcPort, httpPort] = [await freePort(), await freePort(), await freePort()];
    const dataDir = join(dir, 'sigterm-slow');
    const p = run({
      FAULTLINE_DATA_DIR: dataDir,
      FAULTLINE_API_ADDR: `127.0.0.1:${api}`,
      FAULTLINE_OTLP_GRPC_ADDR: `127.0.0.1:${grpcPort}`,
      FAULTLINE_OTLP_HTTP_ADDR: `127.0.0.1:${httpPort}`,
      // The request timeout alone would hold them for two minutes: the grace must be what ends them.
      FAULTLINE_REQUEST_TIMEOUT: '120s',
      FAULTLINE_SHUTDOWN_GRACE: '3s',
    });
    await waitReady(api);
    // 20 HTTP bodies trickling a byte a second, and 20 gRPC streams that sent 10 bytes of body and stopped.
    const sockets = Array.from({ length: 20 }, () => {
      const s = connect(httpPort, '127.0.0.1');
      s.on('error', () => undefined);
      s.write('POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: 100000\r\n\r\n');
      return s;
    });
    const trickle = setInterval(() => sockets.forEach((s) => !s.destroyed && s.write(Buffer.alloc(1))), 1000);
    const session = connectHttp2(`http://127.0.0.1:${grpcPort}`);
    session.on('error', () => undefined);
    for (let i = 0; i < 20; i++) {
      const stream = openExportStream(session);
      stream.on('error', () => undefined);
      const frame = Buffer.alloc(15);
      frame.writeUInt32BE(1000, 1);
      stream.write(frame);
    }
    const acked: Span[] = [];
    for (let seed = 1; seed <= 5; seed++) {
      const spans = simulate(ciPipeline, { seed, startMs: Date.now() - 60_000, durationMs: 10_000, requests: 20 }).spans;
      if ((await rawGrpcExport(grpcPort, encodeProto(spans))) === null) acked.push(...spans);
    }
    expect(acked.length).toBeGreaterThan(0);
    const stopping = Date.now();
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    const tookMs = Date.now() - stopping;
    clearInterval(trickle);
    sockets.forEach((s) => s.destroy());
    session.destroy();
    // The grace (3 s) plus the flush and the store's close, far from the 120 s the slow clients would have held it.
    expect(tookMs).toBeLessThan(20_000);

    const store = await openStore({ dataDir, clickhouseUrl: undefined });
    await runMigrations(store, { cluster: undefined, retentionDays: 7 }, silentLogger);
    const ids = new Set(
      (await store.query('spans_for_traces', { traceIds: [...new Set(acked.map((s) => s.traceId))] })).map((r) => r.spanId),
    );
    await store.close();
    expect(acked.filter((s) => !ids.has(s.spanId))).toHaveLength(0);
  }, 90_000);

  it('on SIGKILL mid-load: after a restart on the same data dir every acknowledged span is there, no staged file left', async () => {
    const [api, grpcPort] = [await freePort(), await freePort()];
    const dataDir = join(dir, 'sigkill');
    const env = {
      FAULTLINE_DATA_DIR: dataDir,
      FAULTLINE_API_ADDR: `127.0.0.1:${api}`,
      FAULTLINE_OTLP_GRPC_ADDR: `127.0.0.1:${grpcPort}`,
      FAULTLINE_OTLP_HTTP_ADDR: '127.0.0.1:0',
      FAULTLINE_BATCH_MAX_DELAY_MS: '50',
    };
    const p = run(env);
    await waitReady(api);
    const acked: Span[] = [];
    let seed = 1000;
    let stop = false;
    const senders = Array.from({ length: 6 }, async () => {
      while (!stop) {
        const spans = simulate(ciPipeline, { seed: seed++, startMs: Date.now() - 60_000, durationMs: 10_000, requests: 30 }).spans;
        if ((await rawGrpcExport(grpcPort, encodeProto(spans))) === null) acked.push(...spans);
      }
    });
    await new Promise((r) => setTimeout(r, 2000));
    p.child.kill('SIGKILL');
    await p.exited;
    stop = true;
    await Promise.all(senders);
    expect(acked.length).toBeGreaterThan(1000);

    // Restarted on the same directory, it comes up (the engine recovers its parts) and holds every acked span.
    const again = run(env);
    await waitReady(api);
    const staging = join(dataDir, 'staged-inserts');
    expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
    const traceIds = [...new Set(acked.map((s) => s.traceId))];
    const res = await fetch(`http://127.0.0.1:${api}/api/v1/services?start=now-10m`);
    expect(res.status).toBe(200);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    const store = await openStore({ dataDir, clickhouseUrl: undefined });
    const ids = new Set((await store.query('spans_for_traces', { traceIds })).map((r) => r.spanId));
    await store.close();
    expect(acked.filter((s) => !ids.has(s.spanId))).toHaveLength(0);
  }, 120_000);
});
