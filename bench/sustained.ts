/**
 * npm run bench:sustained — steady OTLP load for DURATION seconds (default 600) at RATE spans/s (default 100000)
 * against faultline as its own process on a fresh embedded store: open loop over OTLP/gRPC, 1000-span requests, up
 * to MAX_IN_FLIGHT at once, as a Collector's exporter sends: a request due while all are in flight waits in the sending
 * queue (at most QUEUE requests, the Collector's default 1000; past that it is dropped and counted) and goes out when
 * one is acknowledged. Per minute it prints the spans/s acknowledged, ack latency P50/P99 (from the send), the delay
 * from due to acknowledged P99 (queueing included), the queue's length, refusals (RESOURCE_EXHAUSTED, UNAVAILABLE),
 * faultline's RSS and CPU and the store's active parts (faultline_store_active_parts): what a steady state looks like
 * is a queue that does not grow, a flat RSS and a parts count that does not grow; `limit` is the admission limit on
 * exports in flight (faultline_ingest_admission_limit). REPORT_S (default 60) prints a row every so many seconds
 * instead, and each minute's rate and ack P99 at the end. SHAPE=sdk sends spans with the attributes an SDK records (test/sim/sdk-attributes.ts) instead of the
 * simulator's few. The spans come from a pool of POOL distinct shop requests (default 1000 x 1000 spans), sent round and
 * round; each send patches the round number into the first two bytes of every trace and span id in the encoded
 * request (the offsets are found once), so no two rounds send the same span and the sender stays cheap.
 */
import * as grpc from '@grpc/grpc-js';
import { encodeInRequests, encodeProto } from '../test/sim/otlp-encode.js';
import { simulate } from '../test/sim/simulate.js';
import { withSdkAttributes } from '../test/sim/sdk-attributes.js';
import { shop } from '../test/sim/topology.js';
import type { Span } from '../src/span.js';
import { procStats, startFaultlineProcess } from './faultline-process.js';
import { percentileOf } from './percentile.js';

const RATE = Number(process.env.RATE ?? 100_000);
const DURATION = Number(process.env.DURATION ?? 600);
const POOL = Number(process.env.POOL ?? 1000);
const MAX_IN_FLIGHT = Number(process.env.MAX_IN_FLIGHT ?? 64);
const QUEUE = Number(process.env.QUEUE ?? 1000);
/** Seconds per printed row (60: a row per minute, what the targets are stated in; 5 shows a cold start's first seconds). */
const REPORT_S = Number(process.env.REPORT_S ?? 60);
/** sdk: spans with the attributes an SDK in Kubernetes records (~25 on the resource, 2-10 per span); sim: the simulator's few. */
const SHAPE = process.env.SHAPE ?? 'sim';
if (SHAPE !== 'sim' && SHAPE !== 'sdk') throw new Error(`SHAPE=${SHAPE}: use sim (the simulator's spans) or sdk (SDK-shaped spans)`);
const PER_REQUEST = 1000;

/**
 * Where each trace, span and parent span id sits in an encoded request (its bytes appear verbatim in protobuf): one
 * pass over the buffer, matching the first four bytes of an id, then the whole id.
 */
function idOffsets(buf: Buffer, spans: Span[]): number[] {
  const byHead = new Map<number, Buffer[]>();
  for (const id of new Set(spans.flatMap((s) => [s.traceId, s.spanId]))) {
    const bytes = Buffer.from(id, 'hex');
    const head = bytes.readUInt32BE(0);
    byHead.set(head, [...(byHead.get(head) ?? []), bytes]);
  }
  const out: number[] = [];
  for (let at = 0; at + 8 <= buf.length; at++) {
    const ids = byHead.get(buf.readUInt32BE(at));
    if (!ids) continue;
    if (ids.some((id) => at + id.length <= buf.length && buf.compare(id, 0, id.length, at, at + id.length) === 0)) {
      out.push(at);
      at += 7;
    }
  }
  return out;
}

/** A copy of a pooled request with the round number in the first two bytes of every id. */
function forRound(req: { buf: Buffer; offsets: number[] }, round: number): Buffer {
  const copy = Buffer.from(req.buf);
  const hi = (round >> 8) & 0xff;
  const lo = round & 0xff;
  for (const at of req.offsets) {
    copy[at] = hi;
    copy[at + 1] = lo;
  }
  return copy;
}

/**
 * The pool of encoded requests the sender cycles through. A function of its own so the million simulated span
 * objects are garbage once it returns: kept alive beside the sender (as until session 18), every full collection the
 * copied requests' memory triggers marked them all, and the sender took a whole core for about a second every few
 * seconds, on the two cores faultline runs on.
 */
function encodedPool(): { buf: Buffer; offsets: number[] }[] {
  const simulated = simulate(shop, {
    seed: 5,
    startMs: Date.now() - 10 * 60_000,
    durationMs: 9 * 60_000,
    requests: Math.ceil((POOL * PER_REQUEST) / 12),
  }).spans;
  const base = SHAPE === 'sdk' ? withSdkAttributes(simulated) : simulated;
  return encodeInRequests(base, PER_REQUEST, POOL, (spans) => {
    const buf = encodeProto(spans);
    return { buf, offsets: idOffsets(buf, spans) };
  });
}

async function main(): Promise<void> {
  const fl = await startFaultlineProcess('sustained');
  const client = new grpc.Client(`127.0.0.1:${fl.grpcPort}`, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': -1 });
  const requests = encodedPool();
  let round = 0;
  const intervalMs = (PER_REQUEST / RATE) * 1000;
  // `atLimit`: refusals by the admission limit on exports in flight (the rest: the commit would take too long).
  const minute = { acked: 0, refused: 0, atLimit: 0, failed: 0, latencies: [] as number[], delays: [] as number[], dropped: 0 };
  // The sending queue: requests that were due while MAX_IN_FLIGHT were out, with when they were due.
  const queue: { body: Buffer; dueAt: number }[] = [];
  const run = { acked: 0, dropped: 0, refused: 0, failed: 0 };
  // With REPORT_S below 60 the rows are shorter than the minutes the targets are stated in: each minute's acks are
  // kept too and summed up at the end (the drain after the last send counts in the last minute, which may be short).
  const minutes: { acked: number; latencies: number[] }[] = [];
  let inFlight = 0;
  const started = performance.now();
  let lastReport = started;
  let cpuBefore = procStats(fl.pid).cpuSeconds;
  // The sender shares the machine: its own CPU is printed too (a Collector would run elsewhere).
  let senderCpuBefore = process.cpuUsage();
  const rows: string[] = [];
  /** The engine's active parts (all tables) and the admission limit on exports in flight, from /metrics. */
  const scrape = async (): Promise<{ parts: number; limit: string }> => {
    const lines = (await (await fetch(`http://127.0.0.1:${fl.apiPort}/metrics`)).text()).split('\n');
    const value = (l: string) => Number(l.split(' ').at(-1));
    const parts = lines.filter((l) => l.startsWith('faultline_store_active_parts{')).reduce((n, l) => n + value(l), 0);
    const limit = lines.find((l) => l.startsWith('faultline_ingest_admission_limit '));
    return { parts, limit: limit ? String(value(limit)) : '-' };
  };
  const report = async (now: number): Promise<void> => {
    // Take this interval's figures and start the next one before awaiting the scrape: acks landing meanwhile count
    // in the next interval, not half in a sorted list.
    const m = { ...minute };
    Object.assign(minute, { acked: 0, refused: 0, atLimit: 0, failed: 0, latencies: [], delays: [], dropped: 0 });
    run.acked += m.acked;
    run.dropped += m.dropped;
    run.refused += m.refused;
    run.failed += m.failed;
    const seconds = (now - lastReport) / 1000;
    lastReport = now;
    const stats = procStats(fl.pid);
    const used = process.cpuUsage(senderCpuBefore);
    senderCpuBefore = process.cpuUsage();
    const cpu = (stats.cpuSeconds - cpuBefore) / seconds;
    cpuBefore = stats.cpuSeconds;
    const q = (l: number[], p: number) => percentileOf(l, p)?.toFixed(0) ?? '-';
    const l = m.latencies.sort((a, b) => a - b);
    const d = m.delays.sort((a, b) => a - b);
    const { parts, limit } = await scrape();
    const n = rows.length + 1;
    const label = REPORT_S === 60 ? `min ${String(n).padStart(2)}` : `${String(n * REPORT_S).padStart(4)} s`;
    const row =
      `${label} | ${Math.round(m.acked / seconds)
        .toLocaleString('en-US')
        .padStart(7)} spans/s acked | ` +
      `ack p50 ${q(l, 0.5).padStart(4)} ms p99 ${q(l, 0.99).padStart(5)} ms | due->ack p99 ${q(d, 0.99).padStart(5)} ms | ` +
      `queued ${queue.length} | refused ${m.refused} (${m.atLimit} at the limit) failed ${m.failed} dropped ${m.dropped} | ` +
      `RSS ${(stats.rssBytes / 2 ** 20).toFixed(0)} MiB | CPU ${cpu.toFixed(2)} cores | parts ${parts} | limit ${limit} | ` +
      `sender CPU ${((used.user + used.system) / 1e6 / seconds).toFixed(2)} cores`;
    console.log(row);
    rows.push(row);
  };
  console.log(
    `bench:sustained: ${RATE.toLocaleString('en-US')} spans/s for ${DURATION} s, ${PER_REQUEST}-span requests (${SHAPE}-shaped spans), at most ${MAX_IN_FLIGHT} in flight, a sending queue of ${QUEUE}`,
  );
  const send = (body: Buffer, dueAt: number): void => {
    inFlight++;
    const sentAt = performance.now();
    client.makeUnaryRequest(
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      (x: Buffer) => x,
      (x: Buffer) => x,
      body,
      (err) => {
        inFlight--;
        const now = performance.now();
        if (!err) {
          minute.acked += PER_REQUEST;
          minute.latencies.push(now - sentAt);
          if (REPORT_S !== 60) {
            const m = (minutes[Math.min(Math.floor((now - started) / 60_000), Math.ceil(DURATION / 60) - 1)] ??= {
              acked: 0,
              latencies: [],
            });
            m.acked += PER_REQUEST;
            m.latencies.push(now - sentAt);
          }
          minute.delays.push(now - dueAt);
        } else if (err.code === grpc.status.RESOURCE_EXHAUSTED || err.code === grpc.status.UNAVAILABLE) {
          minute.refused += PER_REQUEST;
          if (err.details.startsWith('ingest is at capacity')) minute.atLimit += PER_REQUEST;
        } else minute.failed += PER_REQUEST;
        // A free slot takes the oldest queued request first, as the Collector's queue consumers do.
        const next = queue.shift();
        if (next) send(next.body, next.dueAt);
      },
    );
  };
  const total = Math.floor((DURATION * RATE) / PER_REQUEST);
  for (let i = 0; i < total; i++) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (performance.now() - lastReport >= REPORT_S * 1000) await report(performance.now());
    const k = i % requests.length;
    if (k === 0 && i > 0) round++;
    if (inFlight < MAX_IN_FLIGHT && queue.length === 0) send(forRound(requests[k]!, round), due);
    // A full sending queue drops, as the Collector's does: counted, never acknowledged (and never copied).
    else if (queue.length >= QUEUE) minute.dropped += PER_REQUEST;
    else queue.push({ body: forRound(requests[k]!, round), dueAt: due });
  }
  while (inFlight > 0 || queue.length > 0) await new Promise((r) => setTimeout(r, 50));
  await report(performance.now());
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `run: offered ${(total * PER_REQUEST).toLocaleString('en-US')} spans, acknowledged ${run.acked.toLocaleString('en-US')} ` +
      `(${Math.round(run.acked / seconds).toLocaleString('en-US')} spans/s over ${seconds.toFixed(0)} s), dropped by the sending queue ${run.dropped}, refused ${run.refused}, failed ${run.failed}`,
  );
  for (const [i, m] of minutes.entries()) {
    const p99 = percentileOf(
      m.latencies.sort((a, b) => a - b),
      0.99,
    );
    console.log(
      `minute ${String(i + 1).padStart(2)}: ${Math.round(m.acked / Math.min(60, DURATION - i * 60))
        .toLocaleString('en-US')
        .padStart(7)} spans/s acked, ack p99 ${p99?.toFixed(0) ?? '-'} ms`,
    );
  }
  client.close();
  await fl.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
