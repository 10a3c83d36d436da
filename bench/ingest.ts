/**
 * npm run bench:ingest — OTLP ingest throughput on this machine:
 *   1. decode only (our protobuf decoder, spans/s);
 *   2. end to end: gRPC, 1000-span requests, ack after commit, chDB, faultline as a separate process;
 *   3. the same load against a naive baseline (bench/naive-server.ts), and the ratio.
 * Steps 2 and 3 alternate SAMPLES times (default 3), each on a fresh process and data directory: this machine's speed
 * drifts by up to ~20% within minutes, so one sample of each, taken one after the other, compares the drift as much
 * as the receivers. Every sample is printed; the ratio is of the medians.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { decodeExportRequestProto } from '../src/otlp/decode-protobuf.js';
import { freePort } from '../test/helpers/free-port.js';
import { procStats } from './faultline-process.js';
import { percentileOf } from './percentile.js';
import { encodeInRequests } from '../test/sim/otlp-encode.js';
import { simulate } from '../test/sim/simulate.js';
import { shop } from '../test/sim/topology.js';

const SPANS_PER_REQUEST = 1000;
const REQUESTS = Number(process.env.REQUESTS ?? 600);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const SAMPLES = Number(process.env.SAMPLES ?? 3);
if (!Number.isInteger(SAMPLES) || SAMPLES < 1) throw new Error(`SAMPLES=${process.env.SAMPLES} must be a whole number of at least 1`);

function makeRequests(): Buffer[] {
  const spans = simulate(shop, {
    seed: 9,
    startMs: Date.now() - 30 * 60_000,
    durationMs: 20 * 60_000,
    requests: Math.ceil((REQUESTS * SPANS_PER_REQUEST) / 12),
  }).spans;
  return encodeInRequests(spans, SPANS_PER_REQUEST, REQUESTS);
}

async function waitReady(child: ChildProcess, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('server exited early');
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server not ready');
}

async function drive(port: number, requests: Buffer[]): Promise<{ seconds: number; failed: number }> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': -1 });
  const send = (b: Buffer) =>
    new Promise<boolean>((resolve) =>
      client.makeUnaryRequest(
        '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        (x: Buffer) => x,
        (x: Buffer) => x,
        b,
        (err) => resolve(!err),
      ),
    );
  // Warm-up, not timed.
  for (const b of requests.slice(0, 4)) await send(b);
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const b = requests[next++]!;
        if (!(await send(b))) failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  client.close();
  return { seconds, failed };
}

async function run(
  label: string,
  args: string[],
  env: Record<string, string>,
  port: number,
  probe: () => Promise<boolean>,
  requests: Buffer[],
): Promise<number> {
  // BENCH_NODE_ARGS (say, "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server under this load.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await waitReady(child, probe);
    const cpuBefore = procStats(child.pid!).cpuSeconds;
    const senderBefore = process.cpuUsage();
    const { seconds, failed } = await drive(port, requests);
    // Cores used over the timed part (warm-up included, it is short): where the two cores went.
    const cores = (procStats(child.pid!).cpuSeconds - cpuBefore) / seconds;
    const sender = process.cpuUsage(senderBefore);
    const senderCores = (sender.user + sender.system) / 1e6 / seconds;
    const rate = ((requests.length - failed) * SPANS_PER_REQUEST) / seconds;
    console.log(
      `${label.padEnd(34)} ${Math.round(rate).toLocaleString('en-US').padStart(10)} spans/s  (${requests.length} requests x ${SPANS_PER_REQUEST} spans in ${seconds.toFixed(2)} s, ${failed} failed; server ${cores.toFixed(2)} cores, sender ${senderCores.toFixed(2)})`,
    );
    return rate;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main(): Promise<void> {
  const requests = makeRequests();
  const totalSpans = requests.length * SPANS_PER_REQUEST;
  console.log(
    `bench:ingest on ${process.platform}/${process.arch}, node ${process.version}; ${requests.length} requests of ${SPANS_PER_REQUEST} spans (${(requests.reduce((s, b) => s + b.length, 0) / requests.length / 1024).toFixed(0)} KiB each), ${CONCURRENCY} in flight`,
  );

  for (const b of requests.slice(0, 20)) decodeExportRequestProto(b); // warm-up
  const t = performance.now();
  let decoded = 0;
  for (const b of requests) decoded += decodeExportRequestProto(b).spans.length;
  const decodeRate = decoded / ((performance.now() - t) / 1000);
  console.log(
    `${'decode only (protobuf)'.padEnd(34)} ${Math.round(decodeRate).toLocaleString('en-US').padStart(10)} spans/s  (${totalSpans} spans)`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-ingest-'));
  const faultline: number[] = [];
  const naive: number[] = [];
  try {
    for (let i = 1; i <= SAMPLES; i++) {
      faultline.push(await runFaultline(join(dir, `faultline-${i}`), requests));
      naive.push(await runNaive(join(dir, `naive-${i}`), requests));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const pairs = faultline.map((f, i) => (f / naive[i]!).toFixed(2)).join(', ');
  console.log(
    `faultline / naive: ${(median(faultline) / median(naive)).toFixed(2)}x (medians of ${SAMPLES}: ${Math.round(median(faultline)).toLocaleString('en-US')} / ${Math.round(median(naive)).toLocaleString('en-US')} spans/s; sample by sample ${pairs})`,
  );
}

/** The middle sample (of an even count, the upper of the two middle ones). */
function median(xs: readonly number[]): number {
  return percentileOf(
    [...xs].sort((a, b) => a - b),
    0.5,
  )!;
}

async function runFaultline(dataDir: string, requests: Buffer[]): Promise<number> {
  const [grpcPort, apiPort] = [await freePort(), await freePort()];
  return run(
    'end to end, faultline',
    [join(import.meta.dirname, '../src/main.js'), 'serve'],
    {
      FAULTLINE_DATA_DIR: dataDir,
      FAULTLINE_OTLP_GRPC_ADDR: `127.0.0.1:${grpcPort}`,
      FAULTLINE_OTLP_HTTP_ADDR: '127.0.0.1:0',
      FAULTLINE_API_ADDR: `127.0.0.1:${apiPort}`,
      FAULTLINE_LOG_LEVEL: 'warn',
    },
    grpcPort,
    async () => (await fetch(`http://127.0.0.1:${apiPort}/readyz`)).ok,
    requests,
  );
}

async function runNaive(dataDir: string, requests: Buffer[]): Promise<number> {
  const port = await freePort();
  let ready = false;
  return run(
    'end to end, naive baseline',
    [join(import.meta.dirname, 'naive-server.js'), dataDir, String(port)],
    {},
    port,
    async () => {
      if (!ready)
        ready = await new Promise<boolean>((r) =>
          new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure()).waitForReady(Date.now() + 200, (e) => r(!e)),
        );
      return ready;
    },
    requests,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
