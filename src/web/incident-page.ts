/**
 * GET /incidents/:id: what the person paged reads first. The verdict and summary, the graph with the path to the
 * culprit, the ranked candidates with their evidence before/after, what changed, example traces, per-minute charts
 * of the alerting service and the top candidates, and the analysis history.
 */
import type { Candidate, Pair, Report } from '../rca/report.js';
import { api } from './api-client.js';
import { h } from './dom.js';
import { fmtMs, fmtPct, fmtTime } from './format.js';
import { latencyChart } from './latency-chart.js';
import { serviceGraphSvg } from './service-graph-svg.js';

const pair = (p: Pair | undefined, f: (v: number | null) => string) => (p ? `${f(p.baseline)} → ${f(p.current)}` : '-');

function candidateRow(c: Candidate, traceUrl: (id: string) => string): HTMLElement {
  const e = c.evidence;
  return h(
    'tr',
    { 'data-candidate': c.service, class: c.verdict },
    h('td', {}, c.rank),
    h('th', { scope: 'row' }, c.service, h('div', { class: 'kind' }, c.kind)),
    h('td', {}, c.verdict, h('div', {}, fmtPct(c.confidence))),
    h('td', { class: 'evidence-p50' }, pair(e.p50Ms, fmtMs)),
    h('td', { class: 'evidence-p99' }, pair(e.p99Ms, fmtMs)),
    h('td', { class: 'evidence-self' }, pair(e.selfTimeP99Ms, fmtMs)),
    h('td', { class: 'evidence-errors' }, pair(e.errorRate, fmtPct)),
    h(
      'td',
      {},
      h('p', {}, c.reason),
      e.topOperations?.length
        ? h(
            'p',
            { class: 'operations' },
            `Operations: ${e.topOperations.map((o) => `${o.name} ${fmtMs(o.msPerRequest.baseline)} → ${fmtMs(o.msPerRequest.current)}`).join(', ')} (per request)`,
          )
        : null,
      e.replica
        ? h(
            'p',
            { class: 'replica' },
            `Slow replica: ${e.replica.instance} (${fmtPct(e.replica.trafficShare)} of its requests), own time ${fmtMs(e.replica.ownMsPerRequest.baseline)} → ${fmtMs(e.replica.ownMsPerRequest.current)} per request; its siblings ${fmtMs(e.replica.siblingsOwnMsPerRequest)}`,
          )
        : null,
      e.reach
        ? h('p', { class: 'reach' }, `Reach: ${fmtPct(e.reach)} of the routes below ${c.path[0] ?? 'the alerting service'} pass through it`)
        : null,
      ...(e.changes ?? []).map((ch) =>
        h('p', { class: 'change' }, `Changed: ${ch.attribute} ${ch.from || '(none)'} → ${ch.to}, first seen ${fmtTime(ch.firstSeen)}`),
      ),
      c.exemplars.length
        ? h(
            'p',
            { class: 'exemplars' },
            'Example traces: ',
            ...c.exemplars.flatMap((x, i) => [
              i ? ', ' : '',
              h('a', { href: traceUrl(x.traceId), class: 'exemplar' }, `${fmtMs(x.durationMs)}${x.error ? ' (failed here)' : ''}`),
            ]),
          )
        : null,
    ),
  );
}

/** On an incident a burn-rate alert raised: the SLO, how fast it burned, the budget left and spent; then actions. */
function sloCard(r: Report): HTMLElement | null {
  if (!r.slo && !r.actions?.length) return null;
  const s = r.slo;
  return h(
    'section',
    { class: 'slo-card', 'aria-label': 'SLO' },
    s
      ? h(
          'p',
          { id: 'slo' },
          h('strong', {}, `SLO ${s.name}`),
          ` (${s.objective}% ${s.sli === 'latency' ? `within ${s.thresholdMs} ms` : 'availability'} over ${s.window}): `,
          `burning ${s.burnRate === null ? 'n/a' : `${s.burnRate.toFixed(1)}x`} over ${s.burnWindow} when paged; `,
          `budget left then ${fmtPct(s.budgetRemaining)}`,
          s.budgetSpentDuring === null ? '.' : `; this incident spent ${fmtPct(s.budgetSpentDuring)} of the budget.`,
        )
      : null,
    r.actions?.length
      ? h(
          'ul',
          { id: 'actions' },
          ...r.actions.map((a) =>
            h(
              'li',
              { 'data-status': a.status },
              `${fmtTime(a.at)}: ${a.action} ${a.origin}: ${a.status.replace('_', ' ')} (${new URL(a.url).host}) ${a.response}`,
            ),
          ),
        )
      : null,
  );
}

export async function incidentPage(root: HTMLElement, id: string): Promise<void> {
  const [r, settings] = await Promise.all([
    api<Report>(`/api/v1/incidents/${encodeURIComponent(id)}`),
    api<{ traceUrlTemplate?: string }>('/api/v1/ui-settings'),
  ]);
  const traceUrl = (t: string) => (settings.traceUrlTemplate ? settings.traceUrlTemplate.replace('{traceId}', t) : `/traces/${t}`);
  const top = r.candidates[0];
  const charts = h('section', { class: 'charts', 'aria-label': 'Per-minute charts' }, h('h2', {}, 'Before and during'));
  root.replaceChildren(
    h('p', {}, h('a', { href: '/' }, '← Incidents')),
    h(
      'h1',
      {},
      `${r.alert?.alertname ?? 'Incident'} on ${r.service}`,
      ' ',
      h('span', { class: `badge ${r.alertStatus ?? ''}` }, r.alertStatus ?? ''),
    ),
    h('p', { class: `verdict ${r.verdict ?? r.status}`, id: 'verdict' }, r.verdict ?? r.status, ': ', r.summary ?? r.error ?? ''),
    h(
      'p',
      { class: 'meta' },
      `Window ${fmtTime(r.window.start)} – ${fmtTime(r.window.end)}; baseline from ${fmtTime(r.baseline.start)}.`,
      r.alsoPaging?.length ? ` Also paging: ${r.alsoPaging.join(', ')}.` : '',
      r.timeToRootCauseSeconds ? ` Root cause named ${r.timeToRootCauseSeconds} s after the alert.` : '',
    ),
    ...[sloCard(r)].filter((x): x is HTMLElement => x !== null),
    h(
      'section',
      { 'aria-label': 'Service graph' },
      h('h2', {}, 'Path to the culprit'),
      h('p', { id: 'path' }, top ? top.path.join(' → ') : '-'),
      r.blastRadius?.length ? h('p', { id: 'blast-radius' }, `Waiting on ${top?.service ?? 'it'}: ${r.blastRadius.join(', ')}`) : null,
      serviceGraphSvg(r),
    ),
    h(
      'section',
      { 'aria-label': 'Candidates' },
      h('h2', {}, 'Candidates'),
      h(
        'div',
        { class: 'scroll' },
        h(
          'table',
          { class: 'candidates' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['#', 'Candidate', 'Verdict', 'P50', 'P99', 'Self time P99', 'Error rate', 'Why'].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h('tbody', {}, ...r.candidates.map((c) => candidateRow(c, traceUrl))),
        ),
      ),
    ),
    charts,
    h(
      'section',
      { 'aria-label': 'History' },
      h('h2', {}, 'Analyses'),
      h(
        'ol',
        {},
        ...(r.history ?? []).map((x) => h('li', {}, `${fmtTime(x.at)}: ${x.top || '-'} (${x.verdict}, ${fmtPct(x.confidence)})`)),
      ),
    ),
  );
  const services = [
    r.service,
    ...r.candidates
      .filter((c) => c.kind === 'service' && c.service !== r.service)
      .slice(0, 2)
      .map((c) => c.service),
  ];
  for (const s of services)
    charts.append(
      await latencyChart(s, r.baseline.start, r.window.end, r.window.start).catch((err: unknown) =>
        h('p', {}, `No chart for ${s}: ${String(err)}`),
      ),
    );
}
