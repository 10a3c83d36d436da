/** The latency grid of the rollups' exact bucket counts (migration 0011): bounds, bucket ids at the edges, sparse counts. */
import { describe, expect, it } from 'vitest';
import { GRID_BOUNDS_NS, gridBucketOf, latencyBucketCounts, latencyBucketId, nearestGridValuesMs } from '../../src/store/latency-grid.js';

describe('latency grid', () => {
  it('holds every two-significant-digit value from 0.1 ms to 990 s, ascending', () => {
    expect(GRID_BOUNDS_NS).toHaveLength(630);
    expect(GRID_BOUNDS_NS[0]).toBe(100_000);
    expect(GRID_BOUNDS_NS.at(-1)).toBe(990e9);
    for (let i = 1; i < GRID_BOUNDS_NS.length; i++) expect(GRID_BOUNDS_NS[i]!).toBeGreaterThan(GRID_BOUNDS_NS[i - 1]!);
    for (const ms of [0.1, 0.25, 1, 15, 120, 250, 350, 800, 1400, 15_000, 990_000]) expect(gridBucketOf(ms), String(ms)).toBeDefined();
    for (const ms of [0.05, 0.125, 805, 1234, 1_000_000]) expect(gridBucketOf(ms), String(ms)).toBeUndefined();
    expect(nearestGridValuesMs(805)).toEqual([800, 810]);
  });

  it('a duration equal to a bound is in that bound\'s bucket (d <= T is "no slower than T")', () => {
    const id = gridBucketOf(800)!;
    expect(latencyBucketId(800e6)).toBe(id);
    expect(latencyBucketId(800e6 + 1)).toBe(id + 1);
    expect(latencyBucketId(0)).toBe(0);
    expect(latencyBucketId(2000e9)).toBe(GRID_BOUNDS_NS.length);
  });

  it('counts are sparse, ascending and add up; every duration counted in its own bucket', () => {
    const durations = [5e6, 800e6, 800e6 + 1, 1, 5e6, 3e12, 799_999_999];
    const { ids, counts } = latencyBucketCounts(durations);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(durations.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const expected = new Map<number, number>();
    for (const d of durations) expected.set(latencyBucketId(d), (expected.get(latencyBucketId(d)) ?? 0) + 1);
    expect(new Map(ids.map((id, i) => [id, counts[i]!]))).toEqual(expected);
  });
});
