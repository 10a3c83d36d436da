/**
 * npm run bench:query — loads generated spans (default 10M: 50 services, 500 operations, 24 h) into chDB through the
 * real store path (Native inserts, the graph pairer, derived rollups), then times the percentile queries.
 * `-- --spans 100000000` (or SPANS) sets the count; above 10M the data is week-shaped (7 days, DAYS overrides), and
 * the 7-day service series is timed too. Prints load rate, bytes per span, the process's peak RSS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultline } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { derivedLoad } from './derived-load.js';
import { silentLogger } from '../src/log.js';
import { openStore, type Store } from '../src/store/clickhouse-store.js';
import { edgeLatency, listServices, serviceLatency } from '../src/store/latency-queries.js';
import { runMigrations } from '../src/store/migrations.js';
import { loadTrace } from '../src/store/trace-lookup.js';
import { serviceSeries } from '../src/store/service-series.js';
import { loadQuery } from '../src/store/query-files.js';
import { spansToNative } from '../test/helpers/spans-to-native.js';
import type { Span } from '../src/span.js';
import { generateTopology } from '../test/sim/generated-topology.js';
import { simulate } from '../test/sim/simulate.js';

const argSpans = process.argv.indexOf('--spans');
const TARGET_SPANS = Number(argSpans >= 0 ? process.argv[argSpans + 1] : (process.env.SPANS ?? 10_000_000));
const DAYS = Number(process.env.DAYS ?? (TARGET_SPANS > 10_000_000 ? 7 : 1));
const HOURS = 24 * DAYS;
let peakRss = 0;
setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 1000).unref();
const RUNS = 50;
const HOUR = 3600_000;

async function load(store: Store): Promise<{ spans: number; seconds: number; end: number }> {
  const topo = generateTopology(42, 50, 10);
  const derived = derivedLoad(store);
  // Calibrate requests per hour on a sample so the total lands near TARGET_SPANS.
  const sample = simulate(topo, { seed: 1, startMs: 0, durationMs: 1000, requests: 200 });
  const perRequest = sample.spans.length / 200;
  const requestsPerHour = Math.round(TARGET_SPANS / HOURS / perRequest);
  // The data ends now, as in a live store: an alert's window and its baseline hour are the freshest data.
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  const start = end - HOURS * HOUR;
  const t0 = performance.now();
  let total = 0;
  // Raw spans as the batch writer stores them, then everything the pairer derives from them.
  const ingest = async (spans: Span[]): Promise<void> => {
    for (let i = 0; i < spans.length; i += 50_000) await store.insertNative('otel_traces', spansToNative(spans.slice(i, i + 50_000)));
    await derived.add(spans);
    total += spans.length;
  };
  for (let h = 0; h < HOURS; h++) {
    await ingest(simulate(topo, { seed: 100 + h, startMs: start + h * HOUR, durationMs: HOUR, requests: requestsPerHour }).spans);
    process.stderr.write(`\rloaded hour ${h + 1}/${HOURS}: ${total.toLocaleString('en-US')} spans`);
  }
  // The calibration sample undershoots a little (calls are probabilistic): top up across the same 24 h.
  // Hour by hour, so a week's top-up (millions of spans) never sits in memory at once.
  for (let topUp = 0; total < TARGET_SPANS; topUp++) {
    const perHour = Math.ceil(((TARGET_SPANS - total) / perRequest / HOURS) * 1.02);
    for (let h = 0; h < HOURS && total < TARGET_SPANS; h++)
      await ingest(simulate(topo, { seed: 900 + topUp * HOURS + h, startMs: start + h * HOUR, durationMs: HOUR, requests: perHour }).spans);
  }
  process.stderr.write(`\rloaded ${total.toLocaleString('en-US')} spans\n`);
  return { spans: total, seconds: (performance.now() - t0) / 1000, end };
}

async function time(label: string, fn: () => Promise<unknown>): Promise<void> {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(44)} p50 ${ms[Math.floor(RUNS / 2)]!.toFixed(1).padStart(7)} ms   p99 ${ms[RUNS - 1]!.toFixed(1).padStart(7)} ms`,
  );
}

async function main(): Promise<void> {
  // BENCH_DATA_DIR keeps the loaded store for another run (which then skips the load); by default a temp dir is used.
  const keep = process.env.BENCH_DATA_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'faultline-bench-query-'));
  const store = await openStore({ dataDir: dir, clickhouseUrl: undefined });
  try {
    await runMigrations(store, { cluster: undefined, retentionDays: DAYS + 1 }, silentLogger);
    const [stored] = await store.query('span_extent');
    const reuse = keep !== undefined && Number(stored?.spans ?? 0) > 0;
    const { spans, seconds, end } = reuse
      ? { spans: Number(stored!.spans), seconds: 0, end: Math.ceil(Number(stored!.lastMs) / 60_000) * 60_000 }
      : await load(store);
    // A bulk load leaves many small parts; a running store merges them in the background. Measure the merged state.
    for (const table of ['otel_traces', 'span_rollup_1m', 'edge_rollup_1m']) await store.command(loadQuery('optimize_table'), { table });
    const sizes = await store.query('storage_per_table');
    const traces = sizes.find((s) => s.table === 'otel_traces')!;
    if (reuse) console.log(`reusing ${spans.toLocaleString('en-US')} spans in ${dir}`);
    else
      console.log(
        `loaded ${spans.toLocaleString('en-US')} spans (50 services, 500 operations, ${HOURS} h) in ${seconds.toFixed(1)} s (${Math.round(spans / seconds).toLocaleString('en-US')} spans/s)`,
      );
    console.log(
      `otel_traces: ${(Number(traces.bytes) / Number(traces.rows)).toFixed(1)} bytes on disk per span; all tables: ${(sizes.reduce((s, t) => s + Number(t.bytes), 0) / spans).toFixed(1)} bytes per span`,
    );
    const raw = 6 * HOUR;
    await time('(a) one service P50/P99, 1 h (raw, exact)', () =>
      serviceLatency(store, { service: 'svc-12', operation: '', startMs: end - HOUR, endMs: end, quantiles: [0.5, 0.99] }, raw),
    );
    await time('(b) all services P99, 1 h (raw, exact)', () => listServices(store, end - HOUR, end, raw));
    const edge = await store.query('graph_edges', { start: end - HOUR, end, environment: '' });
    const e = edge[Math.floor(edge.length / 2)]!;
    await time(`(c) one edge P99, 24 h (rollup) ${e.source}->${e.target}`.slice(0, 44), () =>
      edgeLatency(store, e.source, e.target, end - 24 * HOUR, end),
    );
    if (DAYS >= 7) await time('(d) one service, 7-day series (rollup)', () => serviceSeries(store, 'svc-12', end - 7 * 24 * HOUR, end));
    await time("(a') one service P50/P99, 24 h (rollup)", () =>
      serviceLatency(store, { service: 'svc-12', operation: '', startMs: end - 24 * HOUR, endMs: end, quantiles: [0.5, 0.99] }, raw),
    );
    const traceIds = (await store.query('trace_ids_sample', { limit: 200 })).map((r) => r.traceId);
    let next = 0;
    await time('(t) one trace by id (lookup table)', async () => {
      if ((await loadTrace(store, traceIds[next++ % traceIds.length]!)).length === 0) throw new Error('trace not found');
    });
    await store.close();
    await webhookToDone(dir, end);
    console.log(
      `peak RSS of this process (load, queries, faultline for the webhook): ${(Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20).toFixed(0)} MiB`,
    );
  } finally {
    await store.close().catch(() => undefined);
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** Webhook -> incident `done` latency with the loaded store: faultline started on the same data dir. */
async function webhookToDone(dir: string, dataEnd: number): Promise<void> {
  const app = await startFaultline(
    loadConfig({
      FAULTLINE_DATA_DIR: dir,
      FAULTLINE_OTLP_GRPC_ADDR: '127.0.0.1:0',
      FAULTLINE_OTLP_HTTP_ADDR: '127.0.0.1:0',
      FAULTLINE_API_ADDR: '127.0.0.1:0',
    }),
    silentLogger,
  );
  const api = `http://127.0.0.1:${app.ports.api}`;
  const ms: number[] = [];
  const statuses = new Map<string, number>();
  // Fingerprints unique to this run: a reused store already holds the incidents of earlier runs (dedup would answer
  // with those at once).
  const run = Date.now().toString(36);
  try {
    for (let i = 0; i < 20; i++) {
      // Twenty different services: each page is a first analysis (no baseline cached from an earlier page).
      const service = `svc-${String(i).padStart(2, '0')}`;
      const startsAt = new Date(Math.min(Date.now(), dataEnd) - 5 * 60_000).toISOString();
      const body = {
        version: '4',
        status: 'firing',
        receiver: 'faultline',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'ServiceP99LatencyHigh', service_name: service },
            annotations: {},
            startsAt,
            endsAt: '0001-01-01T00:00:00Z',
            fingerprint: `bench-${run}-${i}`,
          },
        ],
      };
      const t = performance.now();
      const res = await fetch(`${api}/api/v1/alerts/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const created = ((await res.json()) as { incidents: { id: string; created: boolean }[] }).incidents[0]!;
      if (!created.created) throw new Error(`incident ${created.id} was not new`);
      for (;;) {
        const r = (await (await fetch(`${api}/api/v1/incidents/${created.id}`)).json()) as { status: string };
        if (r.status === 'done' || r.status === 'failed') {
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      ms.push(performance.now() - t);
    }
  } finally {
    await app.close();
  }
  ms.sort((a, b) => a - b);
  const outcome = [...statuses].map(([s, n]) => `${n} ${s}`).join(', ');
  console.log(
    `${'RCA: webhook -> incident done (20 alerts)'.padEnd(44)} p50 ${ms[10]!.toFixed(1).padStart(7)} ms   p99 ${ms[19]!.toFixed(1).padStart(7)} ms   (${outcome})`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
