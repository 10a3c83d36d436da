/** Overload and store outage answer with retryable codes (never a silent drop), on both transports. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as http2 from 'node:http2';
import { startHarness, type Harness } from '../helpers/harness.js';
import { onServer, sharedFront } from '../helpers/test-store.js';
import { openExportStream, rawGrpcExport } from '../helpers/raw-grpc-export.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';
import { encodeProto } from '../sim/otlp-encode.js';

const body = (seed: number) =>
  encodeProto(simulate(ciPipeline, { seed, startMs: Date.now() - 60_000, durationMs: 10_000, requests: 3 }).spans);
const httpExport = (h: Harness, b: Buffer) =>
  fetch(`${h.otlpHttp}/v1/traces`, { method: 'POST', body: b, headers: { 'content-type': 'application/x-protobuf' } });

describe('overload', () => {
  let h: Harness;
  beforeAll(async () => {
    // A one-span queue and a long batch delay: the first request fills the queue for a second.
    h = await startHarness({ FAULTLINE_QUEUE_MAX_SPANS: '1', FAULTLINE_BATCH_MAX_DELAY_MS: '1000' });
  });
  afterAll(() => h.stop());

  it('HTTP answers 429 with Retry-After; gRPC answers RESOURCE_EXHAUSTED with RetryInfo; the first request is kept', async () => {
    const first = httpExport(h, body(1));
    await new Promise((r) => setTimeout(r, 100));
    const res = await httpExport(h, body(2));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const err = await rawGrpcExport(h.app.ports.grpc, body(3));
    expect(err?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(err?.metadata.get('grpc-status-details-bin')[0]).toBeInstanceOf(Buffer);
    expect((await first).status).toBe(200);
    const [row] = await h.app.store.query('span_count', { service: '' });
    expect(row!.count).toBe(simulate(ciPipeline, { seed: 1, startMs: 0, durationMs: 10_000, requests: 3 }).spans.length);
  });
});

describe('overload decided on the headers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ FAULTLINE_QUEUE_MAX_SPANS: '1', FAULTLINE_BATCH_MAX_DELAY_MS: '1000' });
  });
  afterAll(() => h.stop());

  it('a gRPC call the queue cannot take is answered RESOURCE_EXHAUSTED before its body is sent, and asked to stop sending it', async () => {
    const first = httpExport(h, body(1));
    await new Promise((r) => setTimeout(r, 100));
    // A raw HTTP/2 client sends the call's headers and holds the body back: a server that decides only once the
    // message has arrived would never answer.
    const session = http2.connect(`http://127.0.0.1:${h.app.ports.grpc}`);
    const stream = openExportStream(session, { endStream: false });
    const headers = await new Promise<http2.IncomingHttpHeaders>((resolve) => stream.on('response', resolve));
    const closedWith = await new Promise<number>((resolve) => stream.on('close', () => resolve(stream.rstCode ?? -1)));
    session.close();
    expect(headers['grpc-status']).toBe(String(grpc.status.RESOURCE_EXHAUSTED));
    expect(headers['grpc-status-details-bin']).toBeDefined();
    expect(closedWith).toBe(http2.constants.NGHTTP2_NO_ERROR);
    expect((await first).status).toBe(200);
  });
});

describe('store outage', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('a refused insert fails (and on the embedded store, which stages inserts in files, leaves none behind)', async () => {
    await expect(h.app.store.insertNative('no_such_table', Buffer.from('not a block'))).rejects.toThrow();
    if (h.app.store.kind === 'chdb') expect(readdirSync(join(h.dataDir, 'staged-inserts'))).toEqual([]);
  });

  it('HTTP answers 503 with Retry-After and gRPC answers UNAVAILABLE, naming no internals', async () => {
    // The store goes away: the embedded engine is closed, or the server stops answering.
    if (onServer) (await sharedFront()).outage(true);
    else await h.app.store.close();
    const res = await httpExport(h, body(4));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).not.toBeNull();
    const text = Buffer.from(await res.arrayBuffer()).toString('latin1');
    expect(text).toMatch(/the store is unavailable|store write failed/);
    expect(text).not.toMatch(/\/tmp|staged|DB::Exception|Code: \d+|\.native/);
    const err = await rawGrpcExport(h.app.ports.grpc, body(5));
    expect(err?.code).toBe(grpc.status.UNAVAILABLE);
    expect(err?.details).not.toMatch(/\/tmp|staged|DB::Exception|Code: \d+/);
  });
});
