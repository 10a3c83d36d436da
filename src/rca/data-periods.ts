/**
 * Reads what choosePeriods needs for an incident (the alerting service's per-minute series and the earlier incidents
 * of that service) and applies its choice, unless the alert's annotations named a baseline (then it is taken as given).
 */
import type { Store } from '../store/clickhouse-store.js';
import { serviceSeries } from '../store/service-series.js';
import { isoTime } from '../time-units.js';
import { FLOOD_WINDOW_MS } from './alert-flood.js';
import { choosePeriods } from './choose-periods.js';
import type { IncidentRepository } from './incident-repository.js';
import type { Report } from './report.js';

export interface DataPeriods {
  windowStartMs: number;
  baselineStartMs: number;
  baselineEndMs: number;
  notes: string[];
}

export async function periodsFromData(
  store: Store,
  repo: IncidentRepository,
  report: Report,
  windowEndMs: number,
  lookbackMs: number,
  baselineMs: number,
): Promise<DataPeriods | undefined> {
  if (report.alert?.annotations?.faultline_baseline_start && report.alert.annotations.faultline_baseline_end) return undefined;
  const startsAt = Date.parse(report.alert?.startsAt ?? report.createdAt);
  const from = startsAt - lookbackMs - 3 * baselineMs;
  const [{ points }, others] = await Promise.all([
    serviceSeries(store, report.service, from, windowEndMs + 60_000, report.environment ?? ''),
    repo.list({ service: report.service, startMs: from - 3600_000, limit: 100 }),
  ]);
  const earlier = others
    .filter((o) => o.id !== report.id && o.sharesAnalysisOf !== report.id && (o.environment ?? '') === (report.environment ?? ''))
    // Incidents whose alert started well before this one's (not the same flood or the same page sent twice), or
    // that were resolved before this one started (a short fault, then another minutes later).
    .filter(
      (o) =>
        Date.parse(o.alert?.startsAt ?? o.createdAt) < startsAt - FLOOD_WINDOW_MS ||
        (o.alertStatus === 'resolved' && !!o.alert?.endsAt && Date.parse(o.alert.endsAt) <= startsAt),
    )
    .map((o) => ({
      id: o.id,
      startMs: Date.parse(o.window.start),
      endMs: o.alertStatus === 'resolved' && o.alert?.endsAt ? Date.parse(o.alert.endsAt) : Date.parse(o.window.end),
    }));
  return choosePeriods({ series: points, alertStartsAtMs: startsAt, windowEndMs, lookbackMs, baselineMs, earlier });
}

/** The report with the chosen periods (and their notes) in place. */
export function withPeriods(report: Report, p: DataPeriods): Report {
  return {
    ...report,
    window: { start: isoTime(p.windowStartMs), end: report.window.end },
    baseline: { start: isoTime(p.baselineStartMs), end: isoTime(p.baselineEndMs) },
    periodNotes: p.notes,
  };
}
