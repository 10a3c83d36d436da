/** One sentence an engineer can act on, from a candidate's verdict and evidence. */
import { ARROW, fmtMs as shownMs, fmtPct as pct } from '../shown-figures.js';
import type { Candidate, CandidateKind, Evidence, Pair } from './report.js';

export interface ExplainInput {
  key: string;
  kind: CandidateKind;
  verdict: Candidate['verdict'];
  evidence: Evidence;
  /** The alerting service, whose requests the contributions are per. */
  service: string;
  /** The named origin, which victims wait on. */
  culprit: string | undefined;
  minRequests: number;
  /** Whether it adds time, failures, or both. */
  latencyShare: boolean;
  errorShare: boolean;
}

export function explain(c: ExplainInput): string {
  const e = c.evidence;
  const added = e.addedMsPerRequest
    ? `adds ${shownMs(e.addedMsPerRequest.current)} to each ${c.service} request on average (was ${shownMs(e.addedMsPerRequest.baseline)})`
    : '';
  const perRequest = e.callsPerRequest?.current ?? 0;
  const calls = perRequest >= 3 ? `, over ${round1(perRequest)} calls per request` : '';
  const failures = e.originErrorRate
    ? `${pct(e.originErrorRate.current)} of ${c.service} requests now fail there (was ${pct(e.originErrorRate.baseline)})`
    : '';
  const both = [c.latencyShare || !c.errorShare ? added + calls : '', c.errorShare ? failures : ''].filter((s) => s !== '').join('; ');
  if (c.verdict === 'insufficient_data') {
    return `Too little data to name a cause: ${e.spanCount} calls of ${c.key} in the window and ${e.baselineSpanCount} in the baseline (need ${c.minRequests} requests of ${c.service} in each). ${cap(both)}.`;
  }
  if (c.verdict === 'origin' || c.verdict === 'suspect') {
    const lead = c.verdict === 'suspect' ? 'A possible origin: ' : '';
    if (c.kind === 'edge') {
      const [source, target] = c.key.split(' -> ');
      return `${lead}calls from ${source} to ${target} spend longer between client and server: the edge ${both} while ${target}'s own P99 went ${fmt(e.serverP99Ms ?? { baseline: null, current: null })}; look at the network, queueing or connection pool between them.`;
    }
    if (c.kind !== 'service') {
      const what = c.kind === 'database' ? 'database' : c.kind === 'messaging' ? 'broker' : 'dependency';
      return `${lead}${c.key} (${c.kind}, seen only through its callers) ${both} (P99 ${fmt(e.p99Ms)}, errors ${fmtPct(e.errorRate)}); check that ${what} first.`;
    }
    // Said once when its requests are all its own time (a leaf): "own time P99 1.07 s → 13.6 s".
    const own = fmt(e.selfTimeP99Ms);
    const request = fmt(e.p99Ms) === own ? '' : `, request P99 ${fmt(e.p99Ms)}`;
    return `${lead}${c.key} itself ${both} (own processing time P99 ${own}${request}, errors ${fmtPct(e.errorRate)}); nothing it calls explains it.`;
  }
  if (c.verdict === 'victim') {
    const waits = c.culprit && c.culprit !== c.key ? `; it waits on ${c.culprit}` : '';
    return `${c.key} is affected (P99 ${fmt(e.p99Ms)}, errors ${fmtPct(e.errorRate)}) but adds no more time or failures of its own${waits}.`;
  }
  return `${c.key} looks normal: it ${added || 'adds nothing new'}, P99 ${fmt(e.p99Ms)}, errors ${fmtPct(e.errorRate)}.`;
}

function fmt(p: Pair): string {
  return `${shownMs(p.baseline)} ${ARROW} ${shownMs(p.current)}`;
}

const fmtPct = (p: Pair): string => `${pct(p.baseline)} ${ARROW} ${pct(p.current)}`;
const round1 = (x: number): string => (x >= 10 ? String(Math.round(x)) : x.toFixed(1));
const cap = (s: string): string => (s === '' ? '' : s[0]!.toUpperCase() + s.slice(1));
