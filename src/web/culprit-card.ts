/**
 * The top of the incident page: the named origin in large type with its kind, the verdict in words (verdict-words.ts,
 * as the list and the hand-offs say it) with the confidence people read ("> 99 %", never 100), the evidence before and
 * after in one unit system, what changed and when (UTC), and two labelled example traces.
 */
import type { Candidate, Report } from '../rca/report.js';
import { verdictWords } from '../rca/verdict-words.js';
import { h } from './dom.js';
import { fmtMs, fmtPair, fmtPct, fmtUtc, shownNode } from './format.js';

export type TraceLink = (traceId: string, c: Candidate, spanId: string) => string;

function evidenceList(c: Candidate): HTMLElement {
  const e = c.evidence;
  const rows: [string, string][] =
    c.kind === 'edge'
      ? [
          ['Calls in the window', `${e.baselineSpanCount} ${'→'} ${e.spanCount}`],
          ['P99 (caller side)', fmtPair(e.p99Ms, fmtMs)],
          ['P99 (server side)', fmtPair(e.serverP99Ms, fmtMs)],
          ['Errors', fmtPair(e.errorRate, fmtPct)],
        ]
      : [
          ['P99', fmtPair(e.p99Ms, fmtMs)],
          ['Errors', fmtPair(e.errorRate, fmtPct)],
          ...(c.kind === 'service' ? ([['Own time P99', fmtPair(e.selfTimeP99Ms, fmtMs)]] as [string, string][]) : []),
        ];
  if (e.addedMsPerRequest) rows.push(['Adds per request', fmtPair(e.addedMsPerRequest, fmtMs)]);
  if (e.originErrorRate) rows.push(['Requests failing here', fmtPair(e.originErrorRate, fmtPct)]);
  return h('dl', { class: 'evidence' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** Example traces labelled for what they show: the slowest in the window, one that failed here. */
export function exemplarLinks(c: Candidate, traceLink: TraceLink): HTMLElement | null {
  if (c.exemplars.length === 0) return null;
  let slowest = false;
  const links = c.exemplars.map((x) => {
    const what = x.error ? 'failed here' : slowest ? 'example' : 'slowest in the window';
    if (!x.error) slowest = true;
    return h(
      'a',
      { href: traceLink(x.traceId, c, x.spanId), class: `exemplar${x.error ? ' failed' : ''}` },
      `${what} (${fmtMs(x.durationMs)})`,
    );
  });
  return h('p', { class: 'exemplars' }, 'Example traces: ', ...links.flatMap((a, i) => [i ? ', ' : '', a]));
}

export function culpritCard(r: Report, traceLink: TraceLink): HTMLElement {
  const words = verdictWords(r);
  const top = r.candidates[0];
  const named = words.origin !== undefined && top !== undefined;
  return h(
    'section',
    { class: `culprit ${r.verdict ?? r.status}`, 'aria-label': 'Culprit', id: 'culprit' },
    h('p', { class: 'headline' }, words.headline),
    named
      ? h(
          'h2',
          { class: 'origin' },
          h('span', { class: 'origin-name' }, words.origin!),
          ' ',
          h('span', { class: 'origin-kind' }, top.kind === 'messaging' ? 'queue' : top.kind),
        )
      : null,
    named ? h('p', { class: 'confidence' }, `Confidence ${words.confidence}`) : null,
    named ? evidenceList(top) : null,
    ...(named ? (top.evidence.changes ?? []) : []).map((c) =>
      h('p', { class: 'change' }, `Changed: ${c.attribute} ${c.from || '(none)'} → ${c.to}, first seen ${fmtUtc(c.firstSeen)}`),
    ),
    named ? exemplarLinks(top, traceLink) : null,
    h('p', { class: 'summary' }, r.summary ?? r.error ?? ''),
    named && top.path.length > 1 ? h('p', { class: 'path', id: 'path' }, top.path.map(shownNode).join(' → ')) : null,
  );
}
