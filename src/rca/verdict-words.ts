/**
 * The verdict of a report in words, the same in the incident page's culprit card, the incident list, Markdown and
 * Slack hand-offs and notifications: "Root cause found", "Inconclusive: two candidates explain it", "Not enough data".
 */
import { fmtConfidence, shownNode } from '../shown-figures.js';
import type { Candidate, Report } from './report.js';

export interface VerdictWords {
  /** "Root cause found", "Inconclusive: ...", "Not enough data", "Analysis running", "Analysis failed". */
  headline: string;
  /** The named origin (or the leading suspect), as shown. */
  origin: string | undefined;
  kind: Candidate['kind'] | undefined;
  /** "> 99 %", "87 %"; undefined when no origin is named. */
  confidence: string | undefined;
  /** One line: "Root cause found: storage-s3 (service), confidence > 99 %". */
  line: string;
}

/** `esc` escapes the names (service names come from span data) for the format the line lands in. */
export function verdictWords(
  r: Pick<Report, 'status' | 'verdict' | 'candidates' | 'error'>,
  esc: (s: string) => string = (s) => s,
): VerdictWords {
  const top = r.candidates[0];
  const name = (id: string): string => esc(shownNode(id));
  const none = { origin: undefined, kind: undefined, confidence: undefined };
  if (r.status === 'pending' || r.status === 'running')
    return { headline: 'Analysis running', ...none, line: 'Analysis running: the report follows in seconds.' };
  if (r.status === 'failed') return { headline: 'Analysis failed', ...none, line: `Analysis failed${r.error ? `: ${esc(r.error)}` : ''}.` };
  if (r.verdict === 'insufficient_data' || !top)
    return { headline: 'Not enough data', ...none, line: 'Not enough data: too few requests to name a cause.' };
  if (r.verdict === 'origin_found') {
    const confidence = fmtConfidence(top.confidence);
    return {
      headline: 'Root cause found',
      origin: shownNode(top.service),
      kind: top.kind,
      confidence,
      line: `Root cause found: ${name(top.service)} (${top.kind}), confidence ${confidence}.`,
    };
  }
  const close = r.candidates.filter((c) => c.verdict === 'suspect' || c.verdict === 'origin');
  const named = (close.length >= 2 ? close : r.candidates).slice(0, 2).map((c) => name(c.service));
  const headline = close.length >= 2 ? 'Inconclusive: two candidates explain it' : 'Inconclusive: the evidence is weak';
  return {
    headline,
    origin: shownNode(top.service),
    kind: top.kind,
    confidence: fmtConfidence(top.confidence),
    line:
      close.length >= 2
        ? `${headline}: ${named.join(' or ')}.`
        : `${headline}; most likely ${name(top.service)} (confidence ${fmtConfidence(top.confidence)}).`,
  };
}
