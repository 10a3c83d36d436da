/**
 * npm run bench:slo — one SLO over a 28-day window: loads SPANS (default 10M) spans spread over 28 days through the
 * pairer and the derived-row writer into chDB's per-minute rollup (the only table an SLO reads; raw spans are not
 * written, RAW=1 writes them too), then times evaluateSlo for an availability and a latency SLO of the busiest
 * service (the SLI over 28 days, budget, seven burn windows and the per-hour series), and checks the totals against
 * the spans counted while generating.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { derivedLoad } from './derived-load.js';
import { silentLogger } from '../src/log.js';
import { evaluateSlo } from '../src/slo/evaluate-slo.js';
import { parseSloFile } from '../src/slo/slo-file.js';
import { SpanKind, StatusCode, type Span } from '../src/span.js';
import { openStore } from '../src/store/clickhouse-store.js';
import { runMigrations } from '../src/store/migrations.js';
import { spansToNative } from '../test/helpers/spans-to-native.js';
import { generateTopology } from '../test/sim/generated-topology.js';
import { simulate } from '../test/sim/simulate.js';

const TARGET_SPANS = Number(process.env.SPANS ?? 10_000_000);
const DAYS = 28;
const RUNS = Number(process.env.RUNS ?? 20);
const HOUR = 3600_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-slo-'));
  const store = await openStore({ dataDir: dir, clickhouseUrl: undefined, maxMemoryBytes: 0, tracesTable: 'otel_traces' });
  try {
    await runMigrations(store, { cluster: undefined, retentionDays: 60 }, silentLogger);
    const topo = generateTopology(42, 50, 10);
    const entry = [...topo.entries].sort((a, b) => b.weight - a.weight)[0]!.service;
    const derived = derivedLoad(store);
    // Calls are probabilistic and the sample undershoots: aim 8% high so the load ends above SPANS.
    const sample = simulate(topo, { seed: 1, startMs: 0, durationMs: 1000, requests: 2000 });
    const requestsPerHour = Math.round((1.08 * TARGET_SPANS) / (DAYS * 24) / (sample.spans.length / 2000));
    const end = Math.floor(Date.now() / 60_000) * 60_000;
    const start = end - DAYS * 24 * HOUR;
    const counted = { total: 0, ok: 0, fast: 0 };
    const t0 = performance.now();
    let spans = 0;
    for (let h = 0; h < DAYS * 24; h++) {
      // A bad day in the middle: errors and slowness at the entry service (the SLOs have something to burn).
      const bad = h >= 14 * 24 && h < 14 * 24 + 6;
      const batch: Span[] = simulate(topo, {
        seed: 100 + h,
        startMs: start + h * HOUR,
        durationMs: HOUR,
        requests: requestsPerHour,
        ...(bad
          ? {
              faults: [
                { kind: 'errors' as const, service: entry, rate: 0.05 },
                { kind: 'latency' as const, service: entry, factor: 3 },
              ],
            }
          : {}),
      }).spans;
      for (const s of batch)
        if (s.serviceName === entry && s.kind === SpanKind.SERVER) {
          counted.total++;
          if (s.statusCode !== StatusCode.ERROR) counted.ok++;
          if (s.durationNs <= 100e6) counted.fast++;
        }
      if (process.env.RAW === '1')
        for (let i = 0; i < batch.length; i += 50_000) await store.insertNative('otel_traces', spansToNative(batch.slice(i, i + 50_000)));
      await derived.add(batch);
      spans += batch.length;
      if (h % 24 === 23) process.stderr.write(`\rloaded day ${(h + 1) / 24}/${DAYS}: ${spans.toLocaleString('en-US')} spans`);
    }
    await derived.finish();
    const loadSeconds = (performance.now() - t0) / 1000;
    process.stderr.write('\n');
    const [rows] = await store.query('table_rows', { table: 'span_rollup_1m' });
    console.log(
      `loaded ${spans.toLocaleString('en-US')} spans over ${DAYS} days in ${loadSeconds.toFixed(0)} s; ` +
        `span_rollup_1m: ${Number(rows?.count ?? 0).toLocaleString('en-US')} rows; ${entry}: ${counted.total.toLocaleString('en-US')} requests`,
    );
    const file = parseSloFile(
      `slos:
  - { name: availability, service: ${entry}, objective: 99.9, sli: { type: availability }, window: 28d }
  - { name: latency, service: ${entry}, objective: 99, sli: { type: latency, thresholdMs: 100 }, window: 28d }`,
      'bench',
    );
    for (const slo of file.slos) {
      const times: number[] = [];
      let status = await evaluateSlo(store, slo, end - 1, true);
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        status = await evaluateSlo(store, slo, end - 1, true);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const good = slo.sli.type === 'latency' ? counted.fast : counted.ok;
      const exact = status.current.total === counted.total && status.current.good === good;
      console.log(
        `${slo.name.padEnd(12)} 28d SLI ${status.current.sli?.toFixed(6)} budget left ${status.errorBudgetRemaining?.toFixed(3)} ` +
          `series ${status.series?.length} h | p50 ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms | ` +
          `counts ${exact ? 'exact' : `DIFFER (store ${status.current.total}/${status.current.good}, spans ${counted.total}/${good})`}`,
      );
      if (!exact) process.exitCode = 1;
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
