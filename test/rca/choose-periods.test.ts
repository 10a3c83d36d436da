/** Window and baseline from the data there is: a young install, an incident right after another, a clear onset. */
import { describe, expect, it } from 'vitest';
import { choosePeriods, MIN_BASELINE_MS } from '../../src/rca/choose-periods.js';
import type { SeriesPoint } from '../../src/store/service-series.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 3, 10, 0);
/** Per-minute points from minute `from` to `to` (exclusive) at this P99 (and error rate). */
const minutes = (from: number, to: number, p99Ms: number, errorRate = 0): SeriesPoint[] =>
  Array.from({ length: to - from }, (_, i) => ({ atMs: T0 + (from + i) * MIN, requests: 100, errorRate, p50Ms: p99Ms / 3, p99Ms }));
const base = { lookbackMs: 15 * MIN, baselineMs: 60 * MIN, earlier: [] };

describe('choosePeriods', () => {
  it('a young install: 12 minutes of spans, the fault from minute 9, the alert at 12', () => {
    const p = choosePeriods({
      ...base,
      series: [...minutes(0, 9, 100), ...minutes(9, 13, 600)],
      alertStartsAtMs: T0 + 12 * MIN,
      windowEndMs: T0 + 13 * MIN,
    });
    // The minute before the first elevated one may hold the fault's start: it goes to the window, not the baseline.
    expect(p.windowStartMs).toBe(T0 + 8 * MIN);
    expect([p.baselineStartMs, p.baselineEndMs]).toEqual([T0, T0 + 8 * MIN]);
    expect(p.notes.join(' ')).toMatch(
      /onset found in the data, 4 min before the alert.*baseline is 8 min of history \(less than the 60 min default\)/,
    );
  });

  it('a fault 90 s after a first install: the one healthy minute is the baseline, not the window', () => {
    const p = choosePeriods({
      ...base,
      series: [...minutes(0, 1, 40), ...minutes(1, 4, 400)],
      alertStartsAtMs: T0 + 2 * MIN + 10_000,
      windowEndMs: T0 + 4 * MIN,
    });
    expect(p.windowStartMs).toBe(T0 + MIN);
    expect([p.baselineStartMs, p.baselineEndMs]).toEqual([T0, T0 + MIN]);
    expect(p.notes.join(' ')).toMatch(/Only 1 min of healthy history before the onset/);
  });

  it('a page seconds into the fault on a young install: the onset is the minute after, the history before is the baseline', () => {
    // Two healthy minutes (the first a partial one), failures from 2 s before the alert, which fires at 1:59.
    const p = choosePeriods({
      ...base,
      series: [...minutes(0, 2, 40), ...minutes(2, 4, 40, 0.33)],
      alertStartsAtMs: T0 + MIN + 59_000,
      windowEndMs: T0 + 4 * MIN,
    });
    expect(p.windowStartMs).toBe(T0 + MIN);
    expect([p.baselineStartMs, p.baselineEndMs]).toEqual([T0, T0 + MIN]);
  });

  it('a second fault 30 s after the first incident ended: the window stays out of the first incident', () => {
    const series = [...minutes(0, 2, 40), ...minutes(2, 5, 400), ...minutes(5, 6, 60), ...minutes(6, 8, 300)];
    const p = choosePeriods({
      ...base,
      series,
      alertStartsAtMs: T0 + 6 * MIN + 55_000,
      windowEndMs: T0 + 8 * MIN,
      earlier: [{ id: 'inc_first', startMs: T0 + 2 * MIN + 40_000, endMs: T0 + 5 * MIN + 21_000 }],
    });
    expect(p.windowStartMs).toBeGreaterThanOrEqual(T0 + 5 * MIN + 21_000);
    expect(p.baselineEndMs).toBeLessThanOrEqual(T0 + 2 * MIN + 40_000);
  });

  it('a second incident minutes after the first: the baseline skips the first and says so', () => {
    const series = [...minutes(0, 60, 100), ...minutes(60, 75, 900), ...minutes(75, 78, 100), ...minutes(78, 82, 100, 0.2)];
    const p = choosePeriods({
      ...base,
      series,
      alertStartsAtMs: T0 + 80 * MIN,
      windowEndMs: T0 + 82 * MIN,
      earlier: [{ id: 'inc_first', startMs: T0 + 60 * MIN, endMs: T0 + 75 * MIN }],
    });
    expect(p.windowStartMs).toBe(T0 + 77 * MIN);
    // The 3 healthy minutes between the incidents are under the minimum: the hour before the first one is used.
    expect(MIN_BASELINE_MS).toBe(5 * MIN);
    expect([p.baselineStartMs, p.baselineEndMs]).toEqual([T0, T0 + 60 * MIN]);
    expect(p.notes.join(' ')).toMatch(/skips the earlier incident inc_first/);
  });

  it('a long history and no clear onset keep the default periods, without notes', () => {
    const p = choosePeriods({ ...base, series: minutes(0, 120, 100), alertStartsAtMs: T0 + 110 * MIN, windowEndMs: T0 + 120 * MIN });
    expect(p).toEqual({ windowStartMs: T0 + 95 * MIN, baselineStartMs: T0 + 35 * MIN, baselineEndMs: T0 + 95 * MIN, notes: [] });
  });
});
