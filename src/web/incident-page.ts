/**
 * GET /incidents/:id: what the person paged reads first. The culprit card (verdict in words, the origin, evidence,
 * what changed, example traces), the SLO it burns, the graph with every route to the origin, the candidates in the
 * order a person reasons, charts of the origin and the services on its path, and the analysis history. Times in UTC.
 */
import type { Candidate, Report } from '../rca/report.js';
import { api } from './api-client.js';
import { candidatesSection } from './candidates-table.js';
import { culpritCard } from './culprit-card.js';
import { h } from './dom.js';
import { fmtConfidence, fmtPct, fmtTime } from './format.js';
import { latencyChart } from './latency-chart.js';
import { graphLegend, serviceGraphSvg, type NodeState } from './service-graph-svg.js';

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

function nodeStates(r: Report): (id: string) => NodeState {
  const verdict = new Map(r.candidates.map((c) => [c.service, c.verdict]));
  return (id) => {
    const v = verdict.get(id);
    return v === 'origin' ? 'origin' : v === 'suspect' ? 'suspect' : v === 'victim' || id === r.service ? 'affected' : 'normal';
  };
}

function graphSection(r: Report): HTMLElement {
  const top = r.candidates[0];
  const named = top && (top.verdict === 'origin' || top.verdict === 'suspect');
  // An edge origin: the routes lead to its server side.
  const target = named ? (top.kind === 'edge' ? top.service.split(' -> ')[1] : top.service) : undefined;
  const seconds = Math.max(60, (Date.parse(r.window.end) - Date.parse(r.window.start)) / 1000);
  return h(
    'section',
    { 'aria-label': 'Service graph', id: 'graph' },
    h('h2', {}, 'Where the requests went'),
    r.blastRadius?.length ? h('p', { id: 'blast-radius' }, `Waiting on ${top?.service ?? 'it'}: ${r.blastRadius.join(', ')}`) : null,
    serviceGraphSvg(r.graph.nodes, r.graph.edges, {
      seconds,
      state: nodeStates(r),
      from: r.service,
      ...(target ? { to: target } : {}),
      path: named ? top.path : [],
      label: `Service graph of the window; ${named ? `routes from ${r.service} to ${target} highlighted` : 'no origin named'}`,
    }),
    graphLegend(['origin', 'suspect', 'affected', 'normal']),
  );
}

/** The alerting service, the origin and every service on its path: the ones the charts must prove. */
function chartedServices(r: Report): { service: string; role: string; changes: Candidate['evidence']['changes'] }[] {
  const top = r.candidates[0];
  const serviceNames = new Set(r.graph.nodes.filter((n) => n.kind === 'service').map((n) => n.id));
  const byName = new Map(r.candidates.map((c) => [c.service, c]));
  const named = top && (top.verdict === 'origin' || top.verdict === 'suspect') ? top : undefined;
  const path = named ? named.path : [r.service];
  const out = path
    .filter((s) => serviceNames.has(s) || s === r.service)
    .map((s) => ({
      service: s,
      role: s === named?.service ? 'origin' : s === r.service ? 'alerting' : 'on the path',
      changes: byName.get(s)?.evidence.changes ?? [],
    }));
  // Origin first, then back up the path to the alerting service.
  return out.reverse();
}

export async function incidentPage(root: HTMLElement, id: string): Promise<void> {
  const [r, settings] = await Promise.all([
    api<Report>(`/api/v1/incidents/${encodeURIComponent(id)}`),
    api<{ traceUrlTemplate?: string }>('/api/v1/ui-settings'),
  ]);
  const traceLink = (t: string, c: Candidate, spanId: string): string =>
    settings.traceUrlTemplate
      ? settings.traceUrlTemplate.replace('{traceId}', t)
      : `/traces/${t}?${new URLSearchParams({ incident: r.id, candidate: c.service, span: spanId })}`;
  const charts = h('section', { class: 'charts', 'aria-label': 'Per-minute charts', id: 'charts' }, h('h2', {}, 'Before and during'));
  const slo = sloCard(r);
  root.replaceChildren(
    h('p', {}, h('a', { href: '/' }, '← Incidents')),
    h(
      'h1',
      {},
      `${r.alert?.alertname ?? 'Incident'} on ${r.service}`,
      ' ',
      h('span', { class: `badge ${r.alertStatus ?? ''}` }, r.alertStatus ?? ''),
    ),
    culpritCard(r, traceLink),
    h(
      'p',
      { class: 'meta' },
      `Window ${fmtTime(r.window.start)} to ${fmtTime(r.window.end)}; baseline from ${fmtTime(r.baseline.start)}.`,
      r.alsoPaging?.length ? ` Also paging: ${r.alsoPaging.join(', ')}.` : '',
      r.timeToRootCauseSeconds ? ` Root cause named ${r.timeToRootCauseSeconds} s after the alert.` : '',
    ),
    ...(slo ? [slo] : []),
    graphSection(r),
    candidatesSection(r, traceLink),
    charts,
    h(
      'section',
      { 'aria-label': 'History' },
      h('h2', {}, 'Analyses'),
      h(
        'ol',
        {},
        ...(r.history ?? []).map((x) =>
          h('li', {}, `${fmtTime(x.at)}: ${x.top || '-'} (${x.verdict.replace('_', ' ')}, ${fmtConfidence(x.confidence)})`),
        ),
      ),
    ),
  );
  for (const c of chartedServices(r)) {
    const slot = h('div', { class: 'chart-slot' });
    charts.append(slot);
    slot.append(
      await latencyChart(
        {
          service: c.service,
          role: c.role,
          startIso: r.baseline.start,
          endIso: r.window.end,
          windowStartIso: r.window.start,
          changes: c.changes ?? [],
        },
        charts,
      ).catch((err: unknown) => h('p', {}, `No chart for ${c.service}: ${String(err)}`)),
    );
  }
}
