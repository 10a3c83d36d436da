/**
 * Stalled and slow clients do not hold ingest hostage (issue 27): 100 gRPC streams that send their headers and 10
 * bytes of body, then nothing, and 80 HTTP connections trickling a body byte by byte, while a well-behaved exporter
 * keeps exporting (accepted at its first try: an admission slot is taken only once a body is complete). Real servers and sockets; FAULTLINE_REQUEST_TIMEOUT is 2 s here.
 */
import { connect as connectHttp2 } from 'node:http2';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { openExportStream, rawGrpcExport } from '../helpers/raw-grpc-export.js';
import { encodeProto } from '../sim/otlp-encode.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ FAULTLINE_REQUEST_TIMEOUT: '2s' });
});
afterAll(() => h.stop());

const batch = (seed: number) =>
  encodeProto(simulate(ciPipeline, { seed, startMs: Date.now() - 60_000, durationMs: 1000, requests: 5 }).spans);

/** Exports until one is accepted or `ms` pass; returns how many were tried. */
async function exportUntilAccepted(send: () => Promise<boolean>, ms: number): Promise<{ accepted: boolean; tries: number }> {
  const deadline = Date.now() + ms;
  let tries = 0;
  while (Date.now() < deadline) {
    tries++;
    if (await send()) return { accepted: true, tries };
    await new Promise((r) => setTimeout(r, 100));
  }
  return { accepted: false, tries };
}

describe('slow and stalled clients', () => {
  it('100 stalled gRPC streams are ended after the request timeout; a normal exporter is acknowledged', async () => {
    const port = h.app.ports.grpc;
    const session = connectHttp2(`http://127.0.0.1:${port}`);
    const statuses: string[] = [];
    for (let i = 0; i < 100; i++) {
      const stream = openExportStream(session);
      stream.on('trailers', (t) => statuses.push(String(t['grpc-status'])));
      stream.on('response', (hd) => hd['grpc-status'] !== undefined && statuses.push(String(hd['grpc-status'])));
      stream.on('error', () => undefined);
      // A gRPC frame header announcing 1000 bytes, then 10 of them, then nothing.
      const frame = Buffer.alloc(5 + 10);
      frame.writeUInt32BE(1000, 1);
      stream.write(frame);
    }
    const r = await exportUntilAccepted(async () => (await rawGrpcExport(port, batch(1))) === null, 8000);
    expect(r.accepted).toBe(true);
    // Stalled streams hold no admission slot (it is taken once a body is complete): accepted at the first try.
    expect(r.tries).toBe(1);
    // /metrics says so too: no export in flight while the 100 streams stall, and the limit where it starts (64).
    const text = await (await fetch(`${h.api}/metrics`)).text();
    expect(/^faultline_ingest_exports_in_flight (\d+)$/m.exec(text)?.[1]).toBe('0');
    expect(Number(/^faultline_ingest_admission_limit (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(64);
    // Every stalled stream was ended, retryably: UNAVAILABLE (14) once its body was late, or RESOURCE_EXHAUSTED (8)
    // on its headers while the others held every admission slot.
    await new Promise((res) => setTimeout(res, 2500));
    expect(statuses).toHaveLength(100);
    expect(statuses.every((s) => s === '14' || s === '8')).toBe(true);
    expect(statuses.filter((s) => s === '14').length).toBeGreaterThan(0);
    session.destroy();
  }, 30_000);

  it('80 connections trickling an HTTP body are cut off; a normal exporter is acknowledged meanwhile', async () => {
    const { port } = new URL(h.otlpHttp);
    // More than the 64 admission slots the limit starts with: before the timeout they would hold them all.
    const sockets = Array.from({ length: 80 }, () => {
      const s = connect(Number(port), '127.0.0.1');
      s.on('error', () => undefined);
      s.write('POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: 100000\r\n\r\n');
      return s;
    });
    const trickle = setInterval(() => sockets.forEach((s) => !s.destroyed && s.write(Buffer.alloc(1))), 500);
    const closed = sockets.map((s) => new Promise<number>((res) => s.once('close', () => res(Date.now()))));
    const started = Date.now();
    try {
      const r = await exportUntilAccepted(async () => {
        const res = await fetch(`${h.otlpHttp}/v1/traces`, {
          method: 'POST',
          body: batch(2),
          headers: { 'content-type': 'application/x-protobuf' },
        });
        await res.arrayBuffer();
        return res.status === 200;
      }, 8000);
      expect(r.accepted).toBe(true);
      // Trickling bodies hold no admission slot: accepted at the first try.
      expect(r.tries).toBe(1);
      // Each trickling request is ended once the request timeout (2 s) has passed (checked every 0.5 s here).
      const ends = await Promise.all(closed);
      expect(Math.max(...ends) - started).toBeLessThan(10_000);
    } finally {
      clearInterval(trickle);
      sockets.forEach((s) => s.destroy());
    }
  }, 30_000);
});
