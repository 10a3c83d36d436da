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
    if (o.id === report.id || o.service === report.service || (o.environment ?? '') !== (report.environment ?? '')) return false;
    if (Math.abs(startOf(o) - startOf(report)) > windowMs) return false;
    const same = origin(o) !== undefined && origin(o) === origin(report);
    return same || touches(o, report) || touches(report, o);
  });
  // The group is named after its first incident (by alert start, then id), so every member agrees on it.
  const all = [report, ...related].sort((a, b) => startOf(a) - startOf(b) || a.id.localeCompare(b.id));
  const existing = related.find((r) => r.groupId !== undefined)?.groupId;
  return {
    groupId: existing ?? all[0]!.id,
    members: related.map((r) => r.id),
    alsoPaging: [...new Set(related.map((r) => r.service))].sort(),
  };
}
