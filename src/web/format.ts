/** How the pages show numbers and times (no DOM here: the UI test formats the API's values the same way). */
export const fmtMs = (v: number | null | undefined): string =>
  v === null || v === undefined ? 'n/a' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v >= 10 ? Math.round(v) : v.toFixed(1)} ms`;
export const fmtPct = (v: number | null | undefined): string =>
  v === null || v === undefined ? 'n/a' : `${(v * 100).toFixed(v < 0.01 ? 2 : 1)}%`;
export const fmtTime = (iso: string | undefined): string => (iso ? new Date(iso).toLocaleString() : 'n/a');
/** A time in UTC with the zone written, as hand-offs and Alertmanager show it: 2026-12-03 04:05 UTC. */
export const fmtUtc = (iso: string | undefined): string =>
  iso ? `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'n/a';
