/**
 * The fixed latency grid of the rollups' exact bucket counts (migration 0011): every value with two significant
 * digits from 0.1 ms to 990 s (100 us, 110 us, ... 990 us, 1.0 ms, 1.1 ms, ... 990 s). A span of duration d is
 * counted in the first bucket whose bound is >= d (the last bucket, id GRID_BOUNDS_NS.length, holds what is slower
 * than 990 s). "Faster than T" (d <= T) is then an exact sum for any T on the grid: the SLO file accepts only those.
 */
const bounds: number[] = [];
for (let decade = 0; decade < 7; decade++) for (let m = 10; m <= 99; m++) bounds.push(m * 10 ** (decade + 4));

/** Upper bounds in ns, ascending. */
export const GRID_BOUNDS_NS: readonly number[] = bounds;

/** The bucket a duration (ns) falls in: a binary search, no allocation. */
export function latencyBucketId(durationNs: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bounds[mid]! >= durationNs) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The bucket id whose bound is exactly `ms`, or undefined when `ms` is off the grid. */
export function gridBucketOf(ms: number): number | undefined {
  const ns = Math.round(ms * 1e6);
  if (Math.abs(ns - ms * 1e6) > 1e-3) return undefined;
  const id = latencyBucketId(ns);
  return bounds[id] === ns ? id : undefined;
}

/** The grid values nearest to `ms` (below and above), in ms, for an error message. */
export function nearestGridValuesMs(ms: number): number[] {
  const id = latencyBucketId(ms * 1e6);
  return [bounds[id - 1], bounds[id]].filter((b): b is number => b !== undefined).map((b) => b / 1e6);
}

/**
 * Sparse bucket counts of some durations: ids ascending and their counts. Sorting a copy keeps it to one pass over
 * the sorted values with a binary search per distinct bucket, not per span.
 */
export function latencyBucketCounts(durationsNs: readonly number[]): { ids: number[]; counts: number[] } {
  const sorted = Float64Array.from(durationsNs).sort();
  const ids: number[] = [];
  const counts: number[] = [];
  let i = 0;
  while (i < sorted.length) {
    const id = latencyBucketId(sorted[i]!);
    const bound = id < bounds.length ? bounds[id]! : Infinity;
    let j = i + 1;
    while (j < sorted.length && sorted[j]! <= bound) j++;
    ids.push(id);
    counts.push(j - i);
    i = j;
  }
  return { ids, counts };
}
