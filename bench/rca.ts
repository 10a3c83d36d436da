/**
 * npm run bench:rca — RCA accuracy over seeded incident scenarios (3 topologies, 4 fault kinds, red herrings, a second
 * system in the same store), for faultline and two naive baselines, through the real ingest path and chDB.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultline } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { downstreamPaths } from '../src/rca/rank-candidates.js';
import { loadServiceGraph } from '../src/store/graph-queries.js';
import { sendSpans } from '../test/helpers/load-spans.js';
import { buildScenarios } from '../test/sim/scenarios.js';
import { simulate } from '../test/sim/simulate.js';

const COUNT = Number(process.env.SCENARIOS ?? 45);
const HOUR = 3600_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-rca-'));
  const app = await startFaultline(
    loadConfig({ FAULTLINE_DATA_DIR: dir, FAULTLINE_OTLP_GRPC_ADDR: '127.0.0.1:0', FAULTLINE_OTLP_HTTP_ADDR: '127.0.0.1:0', FAULTLINE_API_ADDR: '127.0.0.1:0', FAULTLINE_LOG_LEVEL: 'error' }),
    silentLogger,
  );
  const otlp = `http://127.0.0.1:${app.ports.http}`;
  const scenarios = buildScenarios(COUNT, Number(process.env.SEED ?? 2026));
  const t0 = Math.floor((Date.now() - 5 * 24 * HOUR) / HOUR) * HOUR;
  const slot = (i: number) => ({ baselineStart: t0 + i * 2 * HOUR, windowStart: t0 + i * 2 * HOUR + HOUR, windowEnd: t0 + i * 2 * HOUR + HOUR + 15 * 60_000 });

  let spans = 0;
  const loadStart = performance.now();
  for (const [i, s] of scenarios.entries()) {
    const w = slot(i);
    const batch = [
      ...simulate(s.topology, { seed: 1000 + i, startMs: w.baselineStart, durationMs: HOUR, requests: Number(process.env.BASELINE_REQUESTS ?? 1200), faults: s.chronic }).spans,
      ...simulate(s.topology, { seed: 2000 + i, startMs: w.windowStart, durationMs: 15 * 60_000, requests: Number(process.env.WINDOW_REQUESTS ?? 300), faults: [...s.chronic, ...s.faults] }).spans,
      ...simulate(s.neighbour, { seed: 3000 + i, startMs: w.baselineStart, durationMs: HOUR + 15 * 60_000, requests: 600 }).spans,
    ];
    spans += batch.length;
    await sendSpans(otlp, batch);
    if ((i + 1) % 10 === 0) process.stderr.write(`loaded ${i + 1}/${scenarios.length} scenarios (${spans} spans)\n`);
  }
  await app.settleGraph();
  const loadSec = (performance.now() - loadStart) / 1000;

  const ranks = { faultline: [] as number[], p99: [] as number[], errors: [] as number[] };
  const latencies: number[] = [];
  const misses: string[] = [];
  for (const [i, s] of scenarios.entries()) {
    const w = slot(i);
    const started = performance.now();
    const report = await app.incidents.analyzeNow({ service: s.alertService, windowStartMs: w.windowStart, windowEndMs: w.windowEnd, baselineStartMs: w.baselineStart, baselineEndMs: w.windowStart });
    latencies.push(performance.now() - started);
    const fr = rankOf(report.candidates.map((c) => c.service), s.truth);
    ranks.faultline.push(fr);
    if (fr !== 1) misses.push(`${s.name}: truth ${s.truth} at rank ${fr}; top ${report.candidates.slice(0, 3).map((c) => `${c.service} (${c.score})`).join(', ')}`);
    const [cur, base] = await Promise.all([loadServiceGraph(app.store, w.windowStart, w.windowEnd), loadServiceGraph(app.store, w.baselineStart, w.windowStart)]);
    const nodes = [...downstreamPaths(cur, s.alertService).keys()];
    const stat = (id: string) => ({ c: cur.getNodeAttributes(id), b: base.hasNode(id) ? base.getNodeAttributes(id) : undefined });
    // Naive baselines name nodes only; for an edge fault they get credit for naming its callee.
    const target = s.truthKind === 'edge' ? s.truth.split(' -> ')[1]! : s.truth;
    const byP99 = [...nodes].sort((a, b) => ratio(stat(b)) - ratio(stat(a)));
    const byErr = [...nodes].sort((a, b) => errRise(stat(b)) - errRise(stat(a)));
    ranks.p99.push(rankOf(byP99, target));
    ranks.errors.push(rankOf(byErr, target));
  }
  await app.close();
  rmSync(dir, { recursive: true, force: true });

  const summary = (r: number[]) => ({ top1: r.filter((x) => x === 1).length / r.length, top3: r.filter((x) => x <= 3).length / r.length, meanRank: r.reduce((a, b) => a + b, 0) / r.length });
  console.log(`\nRCA accuracy over ${scenarios.length} scenarios (${new Set(scenarios.map((s) => s.topology.name)).size} topologies), ${spans} spans loaded in ${loadSec.toFixed(1)} s`);
  console.log('method                 top-1   top-3   mean rank');
  for (const [name, r] of [['faultline', ranks.faultline], ['largest P99 increase', ranks.p99], ['largest error increase', ranks.errors]] as const) {
    const s = summary(r);
    console.log(`${name.padEnd(22)} ${s.top1.toFixed(3).padStart(5)}   ${s.top3.toFixed(3).padStart(5)}   ${s.meanRank.toFixed(2).padStart(9)}`);
  }
  const byKind = new Map<string, number[]>();
  scenarios.forEach((s, i) => byKind.set(s.truthKind, [...(byKind.get(s.truthKind) ?? []), ranks.faultline[i]!]));
  console.log('faultline by fault kind: ' + [...byKind].map(([k, r]) => `${k} ${r.filter((x) => x === 1).length}/${r.length}`).join(', '));
  latencies.sort((a, b) => a - b);
  console.log(`analysis latency: p50 ${latencies[Math.floor(latencies.length / 2)]!.toFixed(0)} ms, p99 ${latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]!.toFixed(0)} ms`);
  if (misses.length > 0) console.log('\nfaultline misses:\n  ' + misses.join('\n  '));
}

type Stat = { c: { p99Ms: number; errorRate: number }; b: { p99Ms: number; errorRate: number } | undefined };
const ratio = (s: Stat) => (s.b && s.b.p99Ms > 0 ? s.c.p99Ms / s.b.p99Ms : 0);
const errRise = (s: Stat) => s.c.errorRate - (s.b?.errorRate ?? 0);
const rankOf = (list: string[], truth: string) => {
  const i = list.indexOf(truth);
  return i < 0 ? list.length + 1 : i + 1;
};

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
