/**
 * The OTLP/gRPC server opens its HTTP/2 receive windows to FAULTLINE_OTLP_GRPC_WINDOW (grpc-receive-window.ts):
 * a real client connection sees the per-stream window in the server's SETTINGS and the connection window in its
 * WINDOW_UPDATE, and a large export on that connection is acknowledged. It sets grpc-js internals, so this fails
 * when an upgrade of grpc-js moves them (the windows would silently fall back to 64 KiB).
 */
import { connect, type ClientHttp2Session, type Settings } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { openExportStream } from '../helpers/raw-grpc-export.js';
import { encodeProto } from '../sim/otlp-encode.js';
import { simulate } from '../sim/simulate.js';
import { shop } from '../sim/topology.js';

const WINDOW = 3 * 1024 * 1024; // neither Node's default nor faultline's
const NODE_DEFAULT = 65_535;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ FAULTLINE_OTLP_GRPC_WINDOW: String(WINDOW) });
});
afterAll(() => h.stop());

async function connectToGrpc(): Promise<{ session: ClientHttp2Session; settings: Settings }> {
  const session = connect(`http://127.0.0.1:${h.app.ports.grpc}`);
  session.on('error', () => undefined);
  const settings = await new Promise<Settings>((resolve) => session.once('remoteSettings', resolve));
  return { session, settings };
}

/** One gRPC unary Export over `session`; resolves with its grpc-status. */
function exportOver(session: ClientHttp2Session, body: Buffer): Promise<string> {
  const stream = openExportStream(session);
  const frame = Buffer.alloc(5);
  frame.writeUInt32BE(body.length, 1);
  stream.end(Buffer.concat([frame, body]));
  stream.resume();
  return new Promise((resolve, reject) => {
    stream.on('trailers', (t) => resolve(String(t['grpc-status'])));
    stream.on('response', (hd) => hd['grpc-status'] !== undefined && resolve(String(hd['grpc-status'])));
    stream.on('error', reject);
  });
}

describe('OTLP/gRPC receive window', () => {
  it('advertises the configured per-stream window instead of 64 KiB', async () => {
    const { session, settings } = await connectToGrpc();
    try {
      expect(settings.initialWindowSize).toBe(WINDOW);
    } finally {
      session.close();
    }
  });

  it("opens each connection's window to the configured size, and a 2 MB export on it is acknowledged", async () => {
    const { session } = await connectToGrpc();
    try {
      // remoteWindowSize: what this client may send before the server's next WINDOW_UPDATE (the connection window).
      const deadline = Date.now() + 5000;
      while (session.state.remoteWindowSize! <= NODE_DEFAULT && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(session.state.remoteWindowSize).toBe(WINDOW);
      const spans = simulate(shop, { seed: 3, startMs: Date.now() - 60_000, durationMs: 30_000, requests: 1200 }).spans;
      const body = encodeProto(spans);
      expect(body.length).toBeGreaterThan(2_000_000);
      expect(await exportOver(session, body)).toBe('0');
    } finally {
      session.close();
    }
  });
});
