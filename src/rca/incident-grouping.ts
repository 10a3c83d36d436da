/**
 * One fault usually pages every service on its call path. Incidents join one group when their alerts started within
 * `windowMs` of each other and either their analyses name the same origin or one's service is in the other's
 * analysed graph (they lie on one path). Pure: the incident service feeds it the open incidents.
 */
import type { Report } from './report.js';

export interface Grouping {
  groupId: string;
  /** Ids of the other incidents in the group. */
  members: string[];
  alsoPaging: string[];
}

const startOf = (r: Report): number => Date.parse(r.alert?.startsAt ?? r.createdAt);
const origin = (r: Report): string | undefined => (r.verdict === 'origin_found' ? r.candidates[0]?.service : undefined);
const touches = (a: Report, b: Report): boolean => a.graph.nodes.some((n) => n.id === b.service) || a.candidates.some((c) => c.path.includes(b.service));

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
  const ids = [report.id, ...(report.groupId ? [report.groupId] : []), ...related.flatMap((r) => [r.id, ...(r.groupId ? [r.groupId] : [])])];
  return {
    groupId: ids.reduce((a, b) => (b < a ? b : a)),
    members: related.map((r) => r.id),
    alsoPaging: [...new Set(related.map((r) => r.service))].sort(),
  };
}
