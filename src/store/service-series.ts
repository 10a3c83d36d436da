/** A service's per-step requests, errors and latency over a window, from the per-minute rollup (charts). */
import { nsToMs } from '../time-units.js';
import type { Store } from './clickhouse-store.js';

export interface SeriesPoint {
  /** Start of the step (epoch ms). */
  atMs: number;
  requests: number;
  errorRate: number;
  p50Ms: number;
  p99Ms: number;
}

/** Steps a series may have at most: a day in minutes, or longer windows in wider steps. */
export const MAX_POINTS = 1440;

export async function serviceSeries(
  store: Store,
  service: string,
  startMs: number,
  endMs: number,
  environment = '',
): Promise<{ stepMs: number; points: SeriesPoint[] }> {
  const stepMinutes = Math.max(1, Math.ceil((endMs - startMs) / 60_000 / MAX_POINTS));
  const rows = await store.query('service_series_rollup', { service, start: startMs, end: endMs, stepMinutes, environment });
  return {
    stepMs: stepMinutes * 60_000,
    points: rows.map((r) => {
      const count = Number(r.count);
      return {
        atMs: Number(r.atMs),
        requests: count,
        errorRate: count > 0 ? Number(r.errors) / count : 0,
        p50Ms: nsToMs(Number(r.quantilesNs[0])),
        p99Ms: nsToMs(Number(r.quantilesNs[1])),
      };
    }),
  };
}
