/**
 * A span's self time: its duration minus the union of its children's intervals (clipped to the span). `starts` and
 * `ends` hold `count` child intervals as offsets from the span's start; they are sorted in place (insertion sort:
 * a span has a handful of children, and the pairer reuses the same scratch arrays for every span).
 */
export function selfTime(durationNs: number, starts: number[], ends: number[], count: number): number {
  if (count === 0) return durationNs;
  for (let i = 1; i < count; i++) {
    const a = starts[i]!;
    const b = ends[i]!;
    let j = i - 1;
    for (; j >= 0 && starts[j]! > a; j--) {
      starts[j + 1] = starts[j]!;
      ends[j + 1] = ends[j]!;
    }
    starts[j + 1] = a;
    ends[j + 1] = b;
  }
  let covered = 0;
  let curStart = 0;
  let curEnd = 0;
  for (let i = 0; i < count; i++) {
    const a = Math.max(0, starts[i]!);
    const b = Math.min(durationNs, ends[i]!);
    if (b <= a) continue;
    if (a > curEnd) {
      covered += curEnd - curStart;
      curStart = a;
      curEnd = b;
    } else if (b > curEnd) curEnd = b;
  }
  covered += curEnd - curStart;
  return Math.max(0, durationNs - covered);
}
