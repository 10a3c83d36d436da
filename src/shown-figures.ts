/**
 * How figures read for people, the same everywhere: the pages, the summary sentence, Markdown and Slack hand-offs and
 * notifications. One unit system (ms below a second, s with three significant digits above), one arrow, and a
 * confidence that never reads 100 % (a calibrated probability is a promise; "> 99 %" is the most it says).
 */
export const ARROW = '→';

export function fmtMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  if (v >= 1000) return `${Number((v / 1000).toPrecision(3))} s`;
  return `${v >= 10 ? Math.round(v) : Number(v.toFixed(1))} ms`;
}

export function fmtPct(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  return `${(v * 100).toFixed(Math.abs(v) < 0.01 && v !== 0 ? 2 : 1)}%`;
}

/** A calibrated probability as people read it: "> 99 %", "87 %", "< 1 %". */
export function fmtConfidence(p: number): string {
  if (p >= 0.995) return '> 99 %';
  if (p < 0.01) return '< 1 %';
  return `${Math.round(p * 100)} %`;
}

export const fmtPair = (p: { baseline: number | null; current: number | null } | undefined, f: (v: number | null) => string): string =>
  p ? `${f(p.baseline)} ${ARROW} ${f(p.current)}` : 'n/a';

/** A time in UTC with the zone written (hand-offs and Alertmanager use UTC): 2026-12-03 04:05:06 UTC. */
export const fmtUtc = (iso: string | number | undefined, seconds = true): string =>
  iso === undefined || Number.isNaN(new Date(iso).getTime())
    ? 'n/a'
    : `${new Date(iso)
        .toISOString()
        .slice(0, seconds ? 19 : 16)
        .replace('T', ' ')} UTC`;

/** An edge's key (`client -> server`) as people read it. */
export const shownNode = (id: string): string => id.replace(' -> ', ` ${ARROW} `);
