/**
 * npm run bench:hostile — a well-behaved exporter next to hostile clients (issue 27). faultline runs as its own process
 * (embedded store, default settings); a Collector-like exporter sends 200-span OTLP/HTTP exports, 4 at a time, the whole
 * run, and each phase adds an attacker for PHASE seconds (default 40):
 *  - quiet: nothing else;
 *  - stalled gRPC: one HTTP/2 connection opening 100 Export streams that send a frame header and 10 bytes, then
 *    nothing (new ones as old ones are ended);
 *  - slow HTTP: 200 connections sending an OTLP/HTTP body one byte every 5 s;
 *  - junk 2 KB: 4 loops posting 2 KB of invalid protobuf (the control: what any flood of small requests costs);
 *  - zstd bombs: 4 loops posting 2 KB zstd bodies that expand past the 16 MB limit.
 * Per phase: the exporter's acknowledged exports/s, ack latency P50/P99, refusals, and /healthz latency P99.
 * FAULTLINE_MAIN runs another build (say, an older commit's dist/src/main.js) for before/after figures.
 */
import { connect as connectHttp2, constants, type ClientHttp2Session } from 'node:http2';
import { connect, type Socket } from 'node:net';
import { encodeInRequests } from '../test/sim/otlp-encode.js';
import { simulate } from '../test/sim/simulate.js';
import { shop } from '../test/sim/topology.js';
import { zstdFrame } from '../test/helpers/zstd-frame.js';
import { startFaultlineProcess, type FaultlineProcess } from './faultline-process.js';
import { percentileOf } from './percentile.js';

const PHASE_MS = Number(process.env.PHASE ?? 40) * 1000;
const CONCURRENCY = 4;
const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

interface Sample {
  ms: number;
  ok: boolean;
}

const bodies = (() => {
  const spans = simulate(shop, { seed: 9, startMs: Date.now() - 20 * 60_000, durationMs: 10 * 60_000, requests: 2000 }).spans;
  return encodeInRequests(spans, 200, 100);
})();

const quantile = (xs: number[], q: number): number =>
  percentileOf(
    [...xs].sort((a, b) => a - b),
    q,
  ) ?? NaN;

/** The well-behaved exporter: CONCURRENCY loops of OTLP/HTTP exports, each with a 10 s client timeout. */
function exporter(fl: FaultlineProcess, samples: Sample[], running: { on: boolean }): Promise<void>[] {
  let n = 0;
  return Array.from({ length: CONCURRENCY }, async () => {
    while (running.on) {
      const started = performance.now();
      let ok = false;
      try {
        const res = await fetch(`http://127.0.0.1:${fl.httpPort}/v1/traces`, {
          method: 'POST',
          body: bodies[n++ % bodies.length],
          headers: { 'content-type': 'application/x-protobuf' },
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer();
        ok = res.status === 200;
      } catch {
        ok = false;
      }
      samples.push({ ms: performance.now() - started, ok });
      if (!ok) await new Promise((r) => setTimeout(r, 100));
    }
  });
}

/** /healthz latency every 250 ms. */
async function probeHealth(fl: FaultlineProcess, out: number[], running: { on: boolean }): Promise<void> {
  while (running.on) {
    const started = performance.now();
    try {
      await (await fetch(`http://127.0.0.1:${fl.apiPort}/healthz`, { signal: AbortSignal.timeout(10_000) })).arrayBuffer();
      out.push(performance.now() - started);
    } catch {
      out.push(10_000);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `running.on` ends the attack; `running.sent` counts the attacker's requests (streams, connections, bodies). */
type Attack = (fl: FaultlineProcess, running: { on: boolean; sent: number }) => Promise<void>;

const stalledGrpc: Attack = async (fl, running) => {
  const session: ClientHttp2Session = connectHttp2(`http://127.0.0.1:${fl.grpcPort}`);
  session.on('error', () => undefined);
  let open = 0;
  const openOne = (): void => {
    if (!running.on || session.destroyed) return;
    open++;
    running.sent++;
    const stream = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: EXPORT_PATH,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    stream.on('error', () => undefined);
    stream.on('close', () => {
      open--;
      setTimeout(openOne, 50);
    });
    const frame = Buffer.alloc(15);
    frame.writeUInt32BE(1000, 1);
    stream.write(frame);
  };
  for (let i = 0; i < 100; i++) openOne();
  while (running.on) await new Promise((r) => setTimeout(r, 200));
  session.destroy();
  void open;
};

const slowHttp: Attack = async (fl, running) => {
  const sockets = new Set<Socket>();
  const openOne = (): void => {
    if (!running.on) return;
    const s = connect(fl.httpPort, '127.0.0.1');
    running.sent++;
    s.on('error', () => undefined);
    s.on('close', () => {
      sockets.delete(s);
      setTimeout(openOne, 50);
    });
    s.write('POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: 100000\r\n\r\n');
    sockets.add(s);
  };
  for (let i = 0; i < 200; i++) openOne();
  const trickle = setInterval(() => sockets.forEach((s) => !s.destroyed && s.write(Buffer.alloc(1))), 5000);
  while (running.on) await new Promise((r) => setTimeout(r, 200));
  clearInterval(trickle);
  sockets.forEach((s) => s.destroy());
};

/** 4 loops posting `body` back to back (`encoding` as its Content-Encoding). */
const postLoops =
  (body: Buffer, encoding: string): Attack =>
  async (fl, running) => {
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (running.on) {
          try {
            const res = await fetch(`http://127.0.0.1:${fl.httpPort}/v1/traces`, {
              method: 'POST',
              body,
              headers: { 'content-type': 'application/x-protobuf', 'content-encoding': encoding },
              signal: AbortSignal.timeout(10_000),
            });
            await res.arrayBuffer();
          } catch {
            // refused or cut off: next one
          }
          running.sent++;
        }
      }),
    );
  };

// 2 KB on the wire, 32 MB once expanded (RLE blocks): past the 16 MB body limit.
const zstdBombs = postLoops(zstdFrame([{ rle: 0x41, size: 32 * 1024 * 1024 }]), 'zstd');
// The control: the same flood of 2 KB bodies that are simply invalid (a 400 each), to tell the bombs' own cost from
// the cost of any flood of small requests.
const junkFlood = postLoops(Buffer.alloc(2048, 0xff), 'identity');

async function phase(fl: FaultlineProcess, name: string, attack: Attack | undefined): Promise<void> {
  const running = { on: true, sent: 0 };
  const samples: Sample[] = [];
  const health: number[] = [];
  const attacking = attack ? attack(fl, running) : Promise.resolve();
  const loops = [...exporter(fl, samples, running), probeHealth(fl, health, running)];
  await new Promise((r) => setTimeout(r, PHASE_MS));
  running.on = false;
  await Promise.all([...loops, attacking]);
  const acked = samples.filter((s) => s.ok).map((s) => s.ms);
  console.log(
    `${name.padEnd(14)} ${(acked.length / (PHASE_MS / 1000)).toFixed(1).padStart(8)} ${quantile(acked, 0.5).toFixed(0).padStart(9)} ${quantile(acked, 0.99).toFixed(0).padStart(9)} ${String(samples.length - acked.length).padStart(8)} ${quantile(health, 0.99).toFixed(0).padStart(12)} ${(running.sent / (PHASE_MS / 1000)).toFixed(0).padStart(12)}`,
  );
}

async function main(): Promise<void> {
  const fl = await startFaultlineProcess('hostile', { FAULTLINE_LOG_LEVEL: 'error' });
  try {
    console.log(`hostile clients, ${PHASE_MS / 1000} s per phase, exporter: ${CONCURRENCY} x 200-span OTLP/HTTP exports`);
    console.log('phase          acked/s   p50 ms    p99 ms  refused  healthz p99  attacker/s');
    await phase(fl, 'quiet', undefined);
    await phase(fl, 'stalled gRPC', stalledGrpc);
    await phase(fl, 'slow HTTP', slowHttp);
    await phase(fl, 'junk 2 KB', junkFlood);
    await phase(fl, 'zstd bombs', zstdBombs);
    await phase(fl, 'quiet again', undefined);
  } finally {
    await fl.stop();
  }
}

await main();
