/**
 * Which window and baseline an incident compares, from the data there is. A fixed "15 minutes before the alert vs
 * the hour before that" fails on a real deployment's first hour (the baseline is empty while the window holds
 * healthy minutes) and right after an earlier incident (the baseline is that incident). So:
 *  - the window starts at the **onset** found in the alerting service's per-minute series: the first minute, no
 *    earlier than the lookback and no later than the alert's start, from which its P99 or error rate stays clearly
 *    above its level before (a 1-minute and a 5-minute rule then get the same window);
 *  - the baseline is the history before the onset, up to the configured length, skipping the periods of earlier
 *    incidents of the same service; with less history than that, what there is down to MIN_BASELINE_MS;
 *  - every departure from the default is said in `notes`, for the report.
 * Pure: the series and the earlier incidents are read by the caller.
 */
import type { SeriesPoint } from '../store/service-series.js';

export interface PeriodInput {
  /** The alerting service's per-minute series from well before the lookback to the window's end. */
  series: readonly SeriesPoint[];
  alertStartsAtMs: number;
  windowEndMs: number;
  lookbackMs: number;
  baselineMs: number;
  /** Earlier incidents of the same service (their [start, end]): a baseline avoids them. */
  earlier: readonly { id: string; startMs: number; endMs: number }[];
}

export interface ChosenPeriods {
  windowStartMs: number;
  baselineStartMs: number;
  baselineEndMs: number;
  notes: string[];
}

/** The shortest baseline faultline analyses against. */
export const MIN_BASELINE_MS = 5 * 60_000;
const MINUTE = 60_000;
/** Clearly above the level before: P99 x1.5, or 2 more points of errors. */
const P99_RISE = 1.5;
const ERROR_RISE = 0.02;

const median = (xs: number[]): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const minutes = (ms: number): number => Math.round(ms / MINUTE);

export function choosePeriods(input: PeriodInput): ChosenPeriods {
  const notes: string[] = [];
  const points = input.series.filter((p) => p.requests > 0);
  // An earlier incident's minutes are neither the level before nor this fault's onset.
  const healthyOrNow = points.filter((p) => !input.earlier.some((inc) => p.atMs >= inc.startMs && p.atMs < inc.endMs));
  // The window never reaches back into an earlier incident that ended before this alert: its minutes are that fault.
  const lastEnded = Math.max(-Infinity, ...input.earlier.filter((e) => e.endMs <= input.alertStartsAtMs).map((e) => e.endMs));
  const defaultStart = Math.max(input.alertStartsAtMs - input.lookbackMs, lastEnded);
  const dataStart = points[0]?.atMs ?? defaultStart;
  // A fast page (a burn-rate alert on a sharp outage) can fire seconds into the fault, before a minute of it is over.
  // On a young install (all its data inside the lookback) no onset would then leave the window swallowing all the
  // history and the baseline empty: there the minute after the alert's start counts too, once the data has it.
  const young = dataStart > input.alertStartsAtMs - input.lookbackMs;
  const onset =
    onsetOf(healthyOrNow, defaultStart, input.alertStartsAtMs) ??
    (young ? onsetOf(healthyOrNow, defaultStart, Math.min(input.alertStartsAtMs + MINUTE, input.windowEndMs)) : undefined);
  // The fault began within the minute before its first elevated one: that minute goes to the window, not the baseline,
  // unless it is all the history there is (a fault minutes after a first install): then it is the baseline.
  const windowStartMs =
    onset === undefined ? Math.max(defaultStart, dataStart) : Math.max(defaultStart, onset - MINUTE > dataStart ? onset - MINUTE : onset);
  if (windowStartMs > defaultStart)
    notes.push(`The window starts at the onset found in the data, ${minutes(input.alertStartsAtMs - windowStartMs)} min before the alert.`);
  else if (windowStartMs === lastEnded && lastEnded > input.alertStartsAtMs - input.lookbackMs)
    notes.push('The window starts where the earlier incident on this service ended.');

  // Free stretches of history before the onset (up to three baseline lengths back), earlier incidents cut out.
  let free: [number, number][] = [[Math.max(dataStart, windowStartMs - 3 * input.baselineMs), windowStartMs]];
  const skipped = new Set<string>();
  const defaultBaselineStart = windowStartMs - input.baselineMs;
  for (const inc of input.earlier) {
    free = free.flatMap(([s, e]): [number, number][] => {
      if (inc.endMs <= s || inc.startMs >= e) return [[s, e]];
      if (inc.endMs > defaultBaselineStart) skipped.add(inc.id);
      const parts: [number, number][] = [];
      if (inc.startMs > s) parts.push([s, inc.startMs]);
      if (inc.endMs < e) parts.push([inc.endMs, e]);
      return parts;
    });
  }
  // The latest stretch long enough, its latest `baselineMs`; else the longest there is.
  const latestFirst = free.filter(([s, e]) => e > s).sort((a, b) => b[1] - a[1]);
  const long = latestFirst.find(([s, e]) => e - s >= MIN_BASELINE_MS);
  const chosen = long ?? [...latestFirst].sort((a, b) => b[1] - b[0] - (a[1] - a[0]))[0] ?? [defaultBaselineStart, windowStartMs];
  const baselineStartMs = Math.max(chosen[0], chosen[1] - input.baselineMs);
  const baselineEndMs = chosen[1];
  const length = baselineEndMs - baselineStartMs;
  const ids = [...skipped].join(', ');
  if (skipped.size > 0)
    notes.push(
      long
        ? `The baseline skips the earlier incident${skipped.size > 1 ? 's' : ''} ${ids} on this service.`
        : `Earlier incidents (${ids}) leave no healthy stretch of ${minutes(MIN_BASELINE_MS)} min before the onset: the baseline is the longest there is.`,
    );
  if (length < input.baselineMs)
    notes.push(
      length >= MIN_BASELINE_MS
        ? `The baseline is ${minutes(length)} min of history (less than the ${minutes(input.baselineMs)} min default).`
        : `Only ${minutes(length)} min of healthy history before the onset (under the ${minutes(MIN_BASELINE_MS)} min minimum): treat the ranking with care.`,
    );
  return { windowStartMs, baselineStartMs, baselineEndMs, notes };
}

/**
 * The first minute in [from, to] from which the series stays clearly above its level before: P99 above 1.5x, or
 * errors 2 points above, the median of the minutes before it, in at least two thirds of the minutes up to `to`.
 * Undefined when no minute qualifies (a gradual rise, or no minute of history before it).
 */
function onsetOf(points: readonly SeriesPoint[], from: number, to: number): number | undefined {
  for (const p of points) {
    // The minute holding `from` counts: a fault already under way at the lookback's start has its onset there.
    if (p.atMs <= from - MINUTE || p.atMs > to) continue;
    const before = points.filter((q) => q.atMs < p.atMs);
    // One healthy minute is a level (a fault 90 s after a first install still has one); the two-thirds rule below
    // keeps a noisy early minute from passing for an onset.
    if (before.length === 0) continue;
    const p99 = median(before.map((q) => q.p99Ms));
    const errors = median(before.map((q) => q.errorRate));
    const elevated = (q: SeriesPoint) => q.p99Ms > P99_RISE * p99 || q.errorRate > errors + ERROR_RISE;
    if (!elevated(p)) continue;
    const after = points.filter((q) => q.atMs >= p.atMs && q.atMs <= to);
    if (after.filter(elevated).length * 3 >= after.length * 2) return p.atMs;
  }
  return undefined;
}
