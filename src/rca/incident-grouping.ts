/**
 * One fault usually pages every service on its call path. Incidents join one group when their alerts started within
 * `windowMs` of each other and either their analyses name the same origin or one's service is in the other's
 * analysed graph (they lie on one path). groupIncident is the pure rule; joinGroup applies it through the repository.
 */
import type { Logger } from '../log.js';
import type { IncidentRepository } from './incident-repository.js';
import { reportDedupKey } from './new-incident.js';
import type { Report } from './report.js';

/** Alerts that start this close together may be one fault. */
const GROUP_WINDOW_MS = 10 * 60_000;

export interface Grouping {
  groupId: string;
  /** Ids of the other incidents in the group. */
  members: string[];
  alsoPaging: string[];
}

const startOf = (r: Report): number => Date.parse(r.alert?.startsAt ?? r.createdAt);
const origin = (r: Report): string | undefined => (r.verdict === 'origin_found' ? r.candidates[0]?.service : undefined);
const touches = (a: Report, b: Report): boolean =>
  a.graph.nodes.some((n) => n.id === b.service) || a.candidates.some((c) => c.path.includes(b.service));

export function groupIncident(report: Report, open: readonly Report[], windowMs: number): Grouping {
  const related = open.filter((o) => {
    if (o.id === report.id || (o.environment ?? '') !== (report.environment ?? '')) return false;
    if (o.service === report.service) return Math.abs(startOf(o) - startOf(report)) <= windowMs;
    if (Math.abs(startOf(o) - startOf(report)) > windowMs) return false;
    const same = origin(o) !== undefined && origin(o) === origin(report);
    return same || touches(o, report) || touches(report, o);
  });
  // The group's id is the smallest incident id it reaches (its own, its relatives', theirs): whichever analysis
  // runs last, every member converges on the same id, without a coordinator.
  const ids = [
    report.id,
    ...(report.groupId ? [report.groupId] : []),
    ...related.flatMap((r) => [r.id, ...(r.groupId ? [r.groupId] : [])]),
  ];
  return {
    groupId: ids.reduce((a, b) => (b < a ? b : a)),
    members: related.map((r) => r.id),
    alsoPaging: [...new Set(related.map((r) => r.service))].sort(),
  };
}

/**
 * Joins an analysed incident to the open ones that are the same fault, and tells them the group id. An incident
 * being analysed (`busy`) is skipped: its own run groups it. Others are re-read right before the save, so a stale
 * copy never overwrites a newer analysis; their "also paging" list catches up at their next analysis.
 */
export async function joinGroup(report: Report, repo: IncidentRepository, busy: (id: string) => boolean, log: Logger): Promise<Report> {
  let open: Report[];
  try {
    // Only incidents that could be in its group: an alert that started within the window of this one's start was
    // opened no earlier than that.
    open = await repo.list({ status: 'firing', limit: 500, startMs: startOf(report) - GROUP_WINDOW_MS });
  } catch (err) {
    log.warn('could not read open incidents for grouping', { id: report.id, err });
    return report;
  }
  const g = groupIncident(report, open, GROUP_WINDOW_MS);
  if (g.members.length === 0) return report;
  for (const id of g.members) {
    if (busy(id)) continue;
    const m = await repo.get(id).catch(() => undefined);
    if (!m || m.groupId === g.groupId || (m.groupId !== undefined && m.groupId < g.groupId)) continue;
    const also = [...new Set([...(m.alsoPaging ?? []), report.service])].filter((x) => x !== m.service).sort();
    await repo
      .save({ ...m, groupId: g.groupId, alsoPaging: also }, reportDedupKey(m))
      .catch((err: unknown) => log.warn('could not update grouped incident', { id, err }));
  }
  if (report.groupId !== g.groupId) log.info('incident grouped', { id: report.id, groupId: g.groupId, alsoPaging: g.alsoPaging });
  return withGroup(report, g.groupId, g.alsoPaging);
}

/** The report as a member of a group: its id, the other services paging, and the summary saying so. */
export function withGroup(report: Report, groupId: string, alsoPaging: string[]): Report {
  const summary = report.summary && alsoPaging.length ? `${report.summary} Also paging: ${alsoPaging.join(', ')}.` : report.summary;
  return { ...report, groupId, alsoPaging, ...(summary ? { summary } : {}) };
}
