/** The two conversions every stage shows times with: ns to ms (rounded to µs) and epoch ms to ISO-8601. */

/** Nanoseconds as milliseconds with three decimals; 0 for a missing or non-finite value. */
export function nsToMs(ns: number | undefined): number {
  return ns === undefined || !Number.isFinite(ns) ? 0 : Math.round(ns / 1e3) / 1e3;
}

/** Epoch milliseconds as an ISO-8601 UTC time. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
