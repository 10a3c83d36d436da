/**
 * The candidates in the order a person reasons: the origin, then the services and edges on its path that are only
 * affected ("affected, waiting on X", no confidence figure: they are not causes), then everything checked and ruled
 * out, collapsed under one line that opens to their reasons. Edge rows show what an edge has: calls, P99 on both
 * sides, errors.
 */
import type { Candidate, Report } from '../rca/report.js';
import { h } from './dom.js';
import { exemplarLinks, type TraceLink } from './culprit-card.js';
import { fmtConfidence, fmtMs, fmtPair, fmtPct, fmtUtc, shownNode } from './format.js';

const HEAD = ['#', 'Candidate', 'Verdict', 'P99', 'Errors', 'Own time P99 / calls', 'Why'];

function verdictText(c: Candidate, origin: string | undefined): string {
  if (c.verdict === 'victim') return `affected, waiting on ${origin ? shownNode(origin) : 'its callees'}`;
  if (c.verdict === 'origin') return `origin, ${fmtConfidence(c.confidence)}`;
  if (c.verdict === 'suspect') return `suspect, ${fmtConfidence(c.confidence)}`;
  if (c.verdict === 'insufficient_data') return 'too little data';
  return 'normal';
}

function row(c: Candidate, origin: string | undefined, traceLink: TraceLink): HTMLElement {
  const e = c.evidence;
  const third =
    c.kind === 'edge' ? `${e.baselineSpanCount} → ${e.spanCount} calls` : c.kind === 'service' ? fmtPair(e.selfTimeP99Ms, fmtMs) : 'n/a';
  return h(
    'tr',
    { 'data-candidate': c.service, class: c.verdict },
    h('td', {}, c.rank),
    h('th', { scope: 'row' }, shownNode(c.service), h('div', { class: 'kind' }, c.kind === 'messaging' ? 'queue' : c.kind)),
    h('td', { class: 'verdict-cell', 'data-label': 'Verdict' }, verdictText(c, origin)),
    h('td', { class: 'evidence-p99', 'data-label': 'P99' }, fmtPair(e.p99Ms, fmtMs)),
    h('td', { class: 'evidence-errors', 'data-label': 'Errors' }, fmtPair(e.errorRate, fmtPct)),
    h('td', { class: 'evidence-self', 'data-label': c.kind === 'edge' ? 'Calls' : 'Own time P99' }, third),
    h(
      'td',
      {},
      h('p', {}, c.reason),
      e.topOperations?.length
        ? h(
            'p',
            { class: 'operations' },
            `Operations: ${e.topOperations.map((o) => `${o.name} ${fmtPair(o.msPerRequest, fmtMs)}`).join(', ')} (per request)`,
          )
        : null,
      ...(e.changes ?? []).map((ch) =>
        h('p', { class: 'change' }, `Changed: ${ch.attribute} ${ch.from || '(none)'} → ${ch.to}, first seen ${fmtUtc(ch.firstSeen)}`),
      ),
      exemplarLinks(c, traceLink),
    ),
  );
}

const table = (rows: HTMLElement[], cls: string): HTMLElement =>
  h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { class: `candidates stack ${cls}` },
      h('thead', {}, h('tr', {}, ...HEAD.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...rows),
    ),
  );

/** On the path when the node, or both ends of the edge, lie on the origin's path. */
function pathIndex(c: Candidate, path: string[]): number {
  if (c.kind !== 'edge') return path.indexOf(c.service);
  const [a, b] = c.service.split(' -> ');
  const i = path.indexOf(a!);
  return i >= 0 && path[i + 1] === b ? i + 0.5 : -1;
}

export function candidatesSection(r: Report, traceLink: TraceLink): HTMLElement {
  const top = r.candidates[0];
  const origin = top && (top.verdict === 'origin' || top.verdict === 'suspect') ? top : undefined;
  const path = origin?.path ?? [];
  const lead = r.candidates.filter((c) => c === origin || (c.verdict === 'suspect' && c !== origin));
  const affected = r.candidates
    .filter((c) => c.verdict === 'victim' && pathIndex(c, path) >= 0)
    .sort((a, b) => pathIndex(b, path) - pathIndex(a, path));
  const shown = new Set([...lead, ...affected]);
  const rest = r.candidates.filter((c) => !shown.has(c));
  const originName = origin?.service;
  return h(
    'section',
    { 'aria-label': 'Candidates', id: 'candidates' },
    h('h2', {}, 'Candidates'),
    table(
      [...lead, ...affected].map((c) => row(c, originName, traceLink)),
      'main',
    ),
    rest.length > 0
      ? h(
          'details',
          { class: 'ruled-out' },
          h(
            'summary',
            {},
            `${rest.length} other${rest.length > 1 ? 's' : ''} checked: ${[...new Set(rest.map((c) => verdictText(c, originName).split(',')[0]))].join(', ')}`,
          ),
          table(
            rest.map((c) => row(c, originName, traceLink)),
            'others',
          ),
        )
      : null,
  );
}
