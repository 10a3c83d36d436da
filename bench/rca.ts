/**
 * npm run bench:rca — RCA accuracy over seeded incident scenarios (test/sim/scenarios.ts: 6 topologies, 29 fault
 * kinds, red herrings in every scenario, a second system with its own incident in the same store), through the real
 * ingest path and chDB, for faultline and two naive baselines. Prints top-1, top-3 and Avg@5 overall and per fault
 * kind, and how well faultline's confidence is calibrated (reliability table and Brier score) on a tuning part and
 * on a held-out part that is never listed; exits 1 when a floor is not held (see checkFloors).
 * SCENARIOS (default 240), SEED (2026), ONLY (fault kinds, comma-separated) and VERBOSE=1 (every report's top three) tune a run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultline } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { ServiceGraph } from '../src/graph/service-graph.js';
import { silentLogger } from '../src/log.js';
import type { Report } from '../src/rca/report.js';
import { loadServiceGraph } from '../src/store/graph-queries.js';
import { sendSpans } from '../test/helpers/load-spans.js';
import { buildScenarios, FAULT_KINDS, quarterOf, SCENARIO_TOPOLOGIES, type Scenario } from '../test/sim/scenarios.js';
import { simulate } from '../test/sim/simulate.js';
import { Random } from '../test/sim/random.js';
import type { Span } from '../src/span.js';

const COUNT = Number(process.env.SCENARIOS ?? 240);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SLOT = 80 * MINUTE;

interface Outcome {
  scenario: Scenario;
  faultline: number;
  p99: number;
  errors: number;
  report: Report;
  ms: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-rca-'));
  const app = await startFaultline(
    loadConfig({
      FAULTLINE_DATA_DIR: dir,
      FAULTLINE_OTLP_GRPC_ADDR: '127.0.0.1:0',
      FAULTLINE_OTLP_HTTP_ADDR: '127.0.0.1:0',
      FAULTLINE_API_ADDR: '127.0.0.1:0',
      FAULTLINE_LOG_LEVEL: 'error',
      FAULTLINE_RETENTION_DAYS: '60',
    }),
    silentLogger,
  );
  const otlp = `http://127.0.0.1:${app.ports.http}`;
  let scenarios = buildScenarios(COUNT, Number(process.env.SEED ?? 2026));
  const only = process.env.ONLY?.split(',');
  if (only) scenarios = scenarios.filter((s) => only.includes(s.kind));
  const t0 = Math.floor((Date.now() - scenarios.length * SLOT - 2 * HOUR) / HOUR) * HOUR;
  const slot = (i: number) => ({
    baselineStart: t0 + i * SLOT,
    windowStart: t0 + i * SLOT + HOUR,
    windowEnd: t0 + i * SLOT + HOUR + 15 * MINUTE,
  });

  let spans = 0;
  const loadStart = performance.now();
  const load = async (i: number): Promise<void> => {
    const s = scenarios[i]!;
    const k = s.index;
    const w = slot(i);
    const window = { startMs: w.windowStart, durationMs: 15 * MINUTE };
    // Fault schedules (a ramp, a periodic batch job) count from the baseline's start.
    const anchorMs = w.baselineStart;
    const system = [
      ...simulate(s.topology, {
        seed: 1000 + k,
        startMs: w.baselineStart,
        durationMs: HOUR,
        requests: s.baselineRequests,
        faults: s.chronic,
        environment: s.environment,
        anchorMs,
        ...(s.versions ? { versions: s.versions.baseline } : {}),
        ...s.sdk,
      }).spans,
      ...simulate(s.windowTopology ?? s.topology, {
        seed: 2000 + k,
        ...window,
        requests: s.windowRequests,
        faults: [...s.chronic, ...s.faults],
        environment: s.environment,
        anchorMs,
        ...(s.versions ? { versions: s.versions.window } : {}),
        ...s.sdk,
      }).spans,
    ];
    const batch = [
      ...(s.sampling === 'errors' ? tailSampled(system, k) : system),
      ...simulate(s.neighbour.topology, {
        seed: 3000 + k,
        startMs: w.baselineStart,
        durationMs: HOUR,
        requests: 600,
        environment: s.neighbour.environment,
        anchorMs,
      }).spans,
      ...simulate(s.neighbour.topology, {
        seed: 4000 + k,
        ...window,
        requests: 150,
        faults: s.neighbour.faults,
        environment: s.neighbour.environment,
        anchorMs,
      }).spans,
    ];
    spans += batch.length;
    await sendSpans(otlp, batch);
  };
  for (let i = 0; i < scenarios.length; i += 2) {
    await Promise.all([load(i), ...(i + 1 < scenarios.length ? [load(i + 1)] : [])]);
    if ((i + 2) % 20 === 0)
      process.stderr.write(`loaded ${Math.min(i + 2, scenarios.length)}/${scenarios.length} scenarios (${spans} spans)\n`);
  }
  await app.settleGraph();
  const loadSec = (performance.now() - loadStart) / 1000;

  const outcomes: Outcome[] = [];
  for (const [i, s] of scenarios.entries()) {
    const w = slot(i);
    const started = performance.now();
    const report = await app.incidents.analyzeNow({
      service: s.alertService,
      ...(s.environment ? { environment: s.environment } : {}),
      windowStartMs: w.windowStart,
      windowEndMs: w.windowEnd,
      baselineStartMs: w.baselineStart,
      baselineEndMs: w.windowStart,
    });
    const ms = performance.now() - started;
    // A shared dependency pages both systems: the neighbour's incident must name the same origin.
    const neighbourReport = s.neighbourAlert
      ? await app.incidents.analyzeNow({
          service: s.neighbourAlert,
          windowStartMs: w.windowStart,
          windowEndMs: w.windowEnd,
          baselineStartMs: w.baselineStart,
          baselineEndMs: w.windowStart,
        })
      : undefined;
    const env = s.environment ?? '';
    const [cur, base] = await Promise.all([
      loadServiceGraph(app.store, w.windowStart, w.windowEnd, env),
      loadServiceGraph(app.store, w.baselineStart, w.windowStart, env),
    ]);
    const nodes = reachable(cur, s.alertService);
    const stat = (id: string) => ({ c: cur.getNodeAttributes(id), b: base.hasNode(id) ? base.getNodeAttributes(id) : undefined });
    // Naive baselines name nodes only; for an edge fault they get credit for naming its callee.
    const target = s.truthKind === 'edge' ? s.truth.split(' -> ')[1]! : s.truth;
    const ranked = report.candidates.map((c) => c.service);
    outcomes.push({
      scenario: s,
      faultline: faultlineRank(
        s,
        ranked,
        neighbourReport?.candidates.map((c) => c.service),
      ),
      p99: rankOf(
        [...nodes].sort((a, b) => ratio(stat(b)) - ratio(stat(a))),
        target,
      ),
      errors: rankOf(
        [...nodes].sort((a, b) => errRise(stat(b)) - errRise(stat(a))),
        target,
      ),
      report,
      ms,
    });
  }
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  printResults(outcomes, spans, loadSec);
}

function printResults(outcomes: Outcome[], spans: number, loadSec: number): void {
  const topologies = new Set(outcomes.map((o) => o.scenario.topology.name));
  console.log(
    `\nRCA accuracy over ${outcomes.length} scenarios (${topologies.size} topologies: ${SCENARIO_TOPOLOGIES.join(', ')}), ${spans} spans loaded in ${loadSec.toFixed(1)} s`,
  );
  const methods = [
    ['faultline', (o: Outcome) => o.faultline],
    ['largest P99 increase', (o: Outcome) => o.p99],
    ['largest error increase', (o: Outcome) => o.errors],
  ] as const;
  console.log(`${'fault kind'.padEnd(16)} ${'n'.padStart(4)}   ${methods.map(([m]) => m.padEnd(24)).join('')}`);
  console.log(`${''.padEnd(16)} ${''.padStart(4)}   ${methods.map(() => 'top1  top3  Avg@5'.padEnd(24)).join('')}`);
  const row = (label: string, list: Outcome[]) => {
    if (list.length === 0) return;
    const cells = methods.map(([, f]) => {
      const r = list.map(f);
      return `${acc(r, 1)} ${acc(r, 3)} ${avgAt5(r).toFixed(3)}`.padEnd(24);
    });
    console.log(`${label.padEnd(16)} ${String(list.length).padStart(4)}   ${cells.join('')}`);
  };
  row('overall', outcomes);
  for (const k of FAULT_KINDS)
    row(
      k,
      outcomes.filter((o) => o.scenario.kind === k),
    );

  const held = outcomes.filter((o) => isHeldOut(o.scenario));
  printCalibration(
    'tuning part (looked at while changing the ranking)',
    outcomes.filter((o) => !isHeldOut(o.scenario)),
  );
  const heldCalibration = printCalibration('held-out part (never tuned on: the generated topology and a quarter of the rest)', held);
  const found = outcomes.filter((o) => o.report.verdict === 'origin_found');
  console.log(
    `verdict origin_found: ${found.length} reports, top-1 right in ${found.filter((o) => o.faultline === 1).length}; inconclusive: ${outcomes.filter((o) => o.report.verdict === 'inconclusive').length}; insufficient_data: ${outcomes.filter((o) => o.report.verdict === 'insufficient_data').length}`,
  );
  // What changed: in 'deploy' scenarios the culprit's new version should be its evidence, and the harmless deploy
  // beside it should not be ranked first.
  const deploys = outcomes.filter((o) => o.scenario.kind === 'deploy');
  const named = deploys.filter((o) =>
    o.report.candidates.find((c) => c.service === o.scenario.truth)?.evidence.changes?.some((ch) => ch.to === '1.9.0'),
  );
  const topIsHarmless = deploys.filter((o) => o.report.candidates[0]?.evidence.changes?.some((ch) => ch.to === '2.1.0'));
  console.log(
    `deploy scenarios: culprit's version change named in ${named.length}/${deploys.length}; harmless deploy ranked first in ${topIsHarmless.length}`,
  );
  const replicas = outcomes.filter((o) => o.scenario.kind === 'replica');
  const replicaNamed = replicas.filter(
    (o) => o.report.candidates.find((c) => c.service === o.scenario.truth)?.evidence.replica?.instance === `${o.scenario.truth}-1`,
  );
  const replicaElsewhere = outcomes.filter((o) => o.scenario.kind !== 'replica' && o.report.candidates[0]?.evidence.replica);
  console.log(
    `replica scenarios: the slow instance named in ${replicaNamed.length}/${replicas.length}; a replica named on the top candidate elsewhere: ${replicaElsewhere.length}`,
  );
  const two = outcomes.filter((o) => o.scenario.alsoTruth);
  const saysTwo = two.filter((o) => o.report.summary?.includes(o.scenario.truth) && o.report.summary.includes(o.scenario.alsoTruth!));
  console.log(
    `two-causes scenarios: both in the top 3 in ${two.filter((o) => o.faultline <= 3).length}/${two.length}; the summary names both in ${saysTwo.length}`,
  );
  const lat = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  console.log(
    `analysis latency: p50 ${lat[Math.floor(lat.length / 2)]!.toFixed(0)} ms, p99 ${lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))]!.toFixed(0)} ms`,
  );
  // Held-out scenarios are counted, never listed: what is not seen cannot be tuned on.
  const tuning = outcomes.filter((o) => !isHeldOut(o.scenario));
  const shown = process.env.VERBOSE ? tuning : tuning.filter((o) => o.faultline !== 1);
  if (shown.length > 0) {
    console.log(process.env.VERBOSE ? '\nall reports:' : '\nfaultline misses:');
    for (const o of shown) {
      const e = (c: Report['candidates'][number]) => {
        const ev = c.evidence;
        const pair = (p: { baseline: number | null; current: number | null } | undefined) => (p ? `${p.baseline}->${p.current}` : '-');
        return process.env.VERBOSE
          ? ` [mean ${pair(ev.addedMsPerRequest)} tail ${pair(ev.tailMsPerRequest)} err ${pair(ev.originErrorRate)}]`
          : '';
      };
      const top = o.report.candidates
        .slice(0, Number(process.env.TOP ?? 3))
        .map((c) => `${c.service} (${c.score}, conf ${c.confidence})${e(c)}`)
        .join(', ');
      console.log(`  ${o.scenario.name}: truth ${o.scenario.truth} at rank ${o.faultline}; ${o.report.verdict}; top ${top}`);
    }
  }
  const heldMisses = outcomes.filter((o) => isHeldOut(o.scenario) && o.faultline !== 1).length;
  console.log(`held-out misses (not listed): ${heldMisses}`);
  checkFloors(outcomes, heldCalibration);
}

/**
 * The held-out part: scenarios never looked at while tuning (the generated topology, and a quarter of the others by a
 * hash of their index; plain `index % 4` would hold out whole kinds whenever the number of kinds is a multiple of 4).
 */
const isHeldOut = (s: Scenario): boolean => s.topology.name.startsWith('generated') || quarterOf(s.index) === 3;

/** Top-1 share each kind must keep over the whole run, below which the bench fails (default 0.6). */
const KIND_FLOORS: Partial<Record<string, number>> = {};
const DEFAULT_KIND_FLOOR = 0.6;

/** Reliability table (confidence bins vs share right) and Brier score of the top candidate's confidence. */
function printCalibration(label: string, outcomes: Outcome[]): { confident: number; confidentRight: number } {
  console.log(`\nconfidence calibration, ${label}: ${outcomes.length} reports`);
  console.log('confidence     reports  top-1 right  mean conf  verdicts');
  const bins: [string, number, number][] = [
    ['>= 0.9', 0.9, 1.01],
    ['0.7 - 0.9', 0.7, 0.9],
    ['0.5 - 0.7', 0.5, 0.7],
    ['0.3 - 0.5', 0.3, 0.5],
    ['< 0.3', -1, 0.3],
  ];
  const conf = (o: Outcome) => o.report.candidates[0]?.confidence ?? 0;
  for (const [name, lo, hi] of bins) {
    const inBin = outcomes.filter((o) => conf(o) >= lo && conf(o) < hi);
    const right = inBin.filter((o) => o.faultline === 1).length;
    const mean = inBin.reduce((s, o) => s + conf(o), 0) / Math.max(1, inBin.length);
    const verdicts = countBy(inBin.map((o) => o.report.verdict ?? 'none'));
    console.log(
      `${name.padEnd(14)} ${String(inBin.length).padStart(7)}  ${inBin.length ? (right / inBin.length).toFixed(3).padStart(11) : '          -'}  ${inBin.length ? mean.toFixed(3).padStart(9) : '        -'}  ${verdicts}`,
    );
  }
  const brier = outcomes.reduce((s, o) => s + (conf(o) - (o.faultline === 1 ? 1 : 0)) ** 2, 0) / Math.max(1, outcomes.length);
  console.log(`Brier score of the top confidence: ${brier.toFixed(4)} (0 is perfect; always saying 0.5 scores 0.25)`);
  const confident = outcomes.filter((o) => conf(o) >= 0.9);
  return { confident: confident.length, confidentRight: confident.filter((o) => o.faultline === 1).length };
}

/**
 * The rank that judges faultline on a scenario: the truth's rank; with two causes, both must be in the top 3 (then
 * the better rank counts, else the worse); with a shared dependency, the worse of the two systems' ranks.
 */
function faultlineRank(s: Scenario, ranked: string[], neighbour: string[] | undefined): number {
  const main = rankOf(ranked, s.truth);
  if (s.alsoTruth) {
    const other = rankOf(ranked, s.alsoTruth);
    return Math.max(main, other) <= 3 ? Math.min(main, other) : Math.max(main, other);
  }
  return neighbour ? Math.max(main, rankOf(neighbour, s.truth)) : main;
}

/** Tail sampling: whole traces kept when any span failed, and 5% of the rest (by trace id). */
function tailSampled(spans: Span[], seed: number): Span[] {
  const failed = new Set(spans.filter((x) => x.statusCode === 2).map((x) => x.traceId));
  const rnd = new Random(seed);
  const kept = new Map<string, boolean>();
  return spans.filter((x) => {
    let keep = kept.get(x.traceId);
    if (keep === undefined) kept.set(x.traceId, (keep = failed.has(x.traceId) || rnd.chance(0.05)));
    return keep;
  });
}

/** The bench's floors: it fails (exit 1) when confident answers are wrong too often on the held-out part, or a kind is weak. */
function checkFloors(outcomes: Outcome[], held: { confident: number; confidentRight: number }): void {
  const failures: string[] = [];
  if (held.confident >= 10 && held.confidentRight / held.confident < 0.9)
    failures.push(`held-out answers at confidence >= 0.9 right ${held.confidentRight}/${held.confident} (< 90%)`);
  for (const k of FAULT_KINDS) {
    const list = outcomes.filter((o) => o.scenario.kind === k);
    const floor = KIND_FLOORS[k] ?? DEFAULT_KIND_FLOOR;
    const top1 = list.filter((o) => o.faultline === 1).length / Math.max(1, list.length);
    if (list.length >= 5 && top1 < floor) failures.push(`${k}: top-1 ${top1.toFixed(3)} below its floor ${floor}`);
  }
  if (failures.length === 0) {
    console.log('\nfloors: all held');
    return;
  }
  console.log(`\nfloors not held:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
}

/** Nodes reachable from the alerting service over the window's edges. */
function reachable(g: ServiceGraph, from: string): string[] {
  if (!g.hasNode(from)) return [];
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length > 0) {
    for (const t of g.outNeighbors(queue.shift()!)) {
      if (seen.has(t)) continue;
      seen.add(t);
      queue.push(t);
    }
  }
  return [...seen];
}

type Stat = { c: { p99Ms: number; errorRate: number }; b: { p99Ms: number; errorRate: number } | undefined };
const ratio = (s: Stat) => (s.b && s.b.p99Ms > 0 ? s.c.p99Ms / s.b.p99Ms : 0);
const errRise = (s: Stat) => s.c.errorRate - (s.b?.errorRate ?? 0);
const rankOf = (list: string[], truth: string) => {
  const i = list.indexOf(truth);
  return i < 0 ? Math.max(list.length + 1, 6) : i + 1;
};
const acc = (r: number[], k: number) => (r.filter((x) => x <= k).length / r.length).toFixed(3);
/** Mean of top-1..top-5 accuracy (the RCA literature's Avg@5). */
const avgAt5 = (r: number[]) => [1, 2, 3, 4, 5].reduce((s, k) => s + r.filter((x) => x <= k).length / r.length, 0) / 5;
const countBy = (xs: string[]) =>
  [...xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>())].map(([k, n]) => `${k} ${n}`).join(', ');

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
