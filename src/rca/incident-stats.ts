/**
 * The loop measured (GET /api/v1/incidents/stats): incidents, mean time to repair and median time to root cause,
 * per service and environment and over all, from the stored reports (queries/incident_stats.sql).
 */
import type { Store } from '../store/clickhouse-store.js';
import type { IncidentStatsRow } from '../store/query-catalog.js';
import { isoTime } from '../time-units.js';

export interface IncidentStatsFigures {
  count: number;
  resolved: number;
  rootCauseNamed: number;
  /** Mean alert start -> resolution of the resolved ones (null: none resolved). */
  mttrSeconds: number | null;
  medianTimeToRootCauseSeconds: number | null;
}

export interface IncidentStats extends IncidentStatsFigures {
  start: string;
  end: string;
  services: ({ service: string; environment?: string } & IncidentStatsFigures)[];
}

const finiteOrNull = (v: number | null | undefined): number | null =>
  v === null || v === undefined || !Number.isFinite(Number(v)) ? null : Math.round(Number(v) * 10) / 10;

/** Count, MTTR and median time to root cause, per service and environment and over all (the first row). */
export async function readIncidentStats(
  store: Store,
  filter: { service: string; environment: string; startMs: number; endMs: number },
): Promise<IncidentStats> {
  const rows = await store.query('incident_stats', {
    service: filter.service,
    environment: filter.environment,
    start: filter.startMs,
    end: filter.endMs,
  });
  const figures = (r: IncidentStatsRow | undefined): IncidentStatsFigures => ({
    count: Number(r?.count ?? 0),
    resolved: Number(r?.resolved ?? 0),
    rootCauseNamed: Number(r?.rootCauseNamed ?? 0),
    mttrSeconds: finiteOrNull(r?.mttrSeconds),
    medianTimeToRootCauseSeconds: finiteOrNull(r?.medianTimeToRootCauseSeconds),
  });
  return {
    start: isoTime(filter.startMs),
    end: isoTime(filter.endMs),
    ...figures(rows.find((r) => Number(r.isTotal) === 1)),
    services: rows
      .filter((r) => Number(r.isTotal) !== 1)
      .map((r) => ({ service: r.service, ...(r.environment ? { environment: r.environment } : {}), ...figures(r) })),
  };
}
