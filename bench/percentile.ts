/** The benches' one quantile: the value at quantile `p` of an ascending list (undefined when it is empty). */
export function percentileOf(sorted: readonly number[], p: number): number | undefined {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
