/**
 * npm run bench:sizing — what faultline needs at a steady ingest rate: for each rate (RATES, spans/s; default
 * 100,1000,10000,100000) it starts faultline as its own process on a fresh embedded store, sends the shop's spans
 * over OTLP/gRPC at that rate for DURATION seconds (default 60; open loop, 1000-span requests, or smaller at low
 * rates so a request goes out every 100 ms), and prints the spans/s acknowledged, ack latency P50/P99, the
 * process's CPU (cores) and peak and final RSS (from /proc), and the data directory's size.
 */
import { execFileSync } from 'node:child_process';
import * as grpc from '@grpc/grpc-js';
import { encodeInRequests } from '../test/sim/otlp-encode.js';
import { simulate } from '../test/sim/simulate.js';
import { shop } from '../test/sim/topology.js';
import { procStats, startFaultlineProcess } from './faultline-process.js';
import { percentileOf } from './percentile.js';

const RATES = (process.env.RATES ?? '100,1000,10000,100000').split(',').map(Number);
const DURATION = Number(process.env.DURATION ?? 60);

/** The requests to send, encoded up front; the simulated span objects are garbage once this returns (see sustained.ts). */
function encodedRequests(rate: number, perRequest: number, total: number): Buffer[] {
  const spans = simulate(shop, {
    seed: rate,
    startMs: Date.now() - 5 * 60_000,
    durationMs: 4 * 60_000,
    requests: Math.ceil(total / 12) + 10,
  }).spans;
  return encodeInRequests(spans, perRequest, Math.ceil(total / perRequest));
}

async function runRate(rate: number): Promise<string> {
  const fl = await startFaultlineProcess('sizing');
  const { grpcPort, pid } = fl;
  try {
    const perRequest = Math.max(1, Math.min(1000, Math.round(rate / 10)));
    const intervalMs = (perRequest / rate) * 1000;
    const total = Math.round(rate * DURATION);
    const requests = encodedRequests(rate, perRequest, total);
    const client = new grpc.Client(`127.0.0.1:${grpcPort}`, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': -1 });
    const latencies: number[] = [];
    let acked = 0;
    let failed = 0;
    /** Failed exports by gRPC status: a refusal is retryable (RESOURCE_EXHAUSTED, UNAVAILABLE), anything else a bug. */
    const refusals = new Map<string, number>();
    const before = procStats(pid);
    let peakRss = before.rssBytes;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, procStats(pid).rssBytes)), 250);
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < requests.length; i++) {
      const due = started + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const sentAt = performance.now();
      inFlight.push(
        new Promise<void>((resolve) =>
          client.makeUnaryRequest(
            '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
            (x: Buffer) => x,
            (x: Buffer) => x,
            requests[i]!,
            (err) => {
              if (err) {
                failed++;
                const code = grpc.status[err.code] ?? String(err.code);
                refusals.set(code, (refusals.get(code) ?? 0) + 1);
              } else {
                acked += perRequest;
                latencies.push(performance.now() - sentAt);
              }
              resolve();
            },
          ),
        ),
      );
    }
    await Promise.all(inFlight);
    const seconds = (performance.now() - started) / 1000;
    const after = procStats(pid);
    clearInterval(sampler);
    client.close();
    latencies.sort((a, b) => a - b);
    const q = (p: number) => percentileOf(latencies, p) ?? NaN;
    const dataMb = Number(execFileSync('du', ['-sm', fl.dataDir]).toString().split('\t')[0]);
    if (refusals.size > 0)
      process.stderr.write(`  ${rate} spans/s: failed exports by status: ${[...refusals].map(([c, n]) => `${c} ${n}`).join(', ')}\n`);
    return [
      String(rate).padStart(7),
      (acked / seconds).toFixed(0).padStart(9),
      String(failed).padStart(6),
      q(0.5).toFixed(0).padStart(7),
      q(0.99).toFixed(0).padStart(7),
      ((after.cpuSeconds - before.cpuSeconds) / seconds).toFixed(2).padStart(6),
      (peakRss / 2 ** 20).toFixed(0).padStart(9),
      (after.rssBytes / 2 ** 20).toFixed(0).padStart(8),
      String(dataMb).padStart(8),
    ].join(' ');
  } finally {
    await fl.stop();
  }
}

async function main(): Promise<void> {
  const header = '   rate  acked/s failed  p50 ms  p99 ms  cores peak RSS MB  RSS MB  data MB';
  const rows: string[] = [];
  for (const rate of RATES) {
    process.stderr.write(`sizing at ${rate} spans/s for ${DURATION} s...\n`);
    rows.push(await runRate(rate));
  }
  console.log(`\nfaultline sizing (${DURATION} s per rate, embedded store, shop topology, OTLP/gRPC):\n${header}\n${rows.join('\n')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
