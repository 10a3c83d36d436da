/** How the pages show numbers and times: the shared formatter (shown-figures.ts), so pages and hand-offs agree. */
export { ARROW, fmtConfidence, fmtMs, fmtPair, fmtPct, fmtUtc, shownNode } from '../shown-figures.js';
import { fmtUtc } from '../shown-figures.js';

/** Every time on the pages is UTC with the zone written, as in Alertmanager, Slack and the Markdown hand-off. */
export const fmtTime = (iso: string | undefined): string => fmtUtc(iso);

/** How long ago, for lists: "4 min ago", "3 h ago", "2 d ago". */
export function fmtAge(iso: string | undefined, now = Date.now()): string {
  if (!iso) return 'n/a';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}
