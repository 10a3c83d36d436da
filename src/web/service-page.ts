/** GET /services/:name: one service's P99 and errors over time, and who calls it and what it calls, with figures. */
import { api } from './api-client.js';
import { h } from './dom.js';
import { fmtMs, fmtPct } from './format.js';
import { latencyChart } from './latency-chart.js';
import type { GraphEdge, GraphNode } from './service-graph-svg.js';
import { windowChooser, windowSeconds } from './window-chooser.js';

function edgeTable(title: string, edges: GraphEdge[], other: (e: GraphEdge) => string, seconds: number): HTMLElement {
  return h(
    'section',
    { 'aria-label': title },
    h('h2', {}, title),
    edges.length === 0
      ? h('p', {}, 'None in this window.')
      : h(
          'table',
          { class: 'edges' },
          h('thead', {}, h('tr', {}, ...['Service', 'Calls/s', 'P99', 'Errors'].map((t) => h('th', { scope: 'col' }, t)))),
          h(
            'tbody',
            {},
            ...edges.map((e) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, h('a', { href: `/services/${encodeURIComponent(other(e))}` }, other(e))),
                h('td', {}, (e.calls / seconds).toFixed(2)),
                h('td', {}, fmtMs(e.p99Ms)),
                h('td', { class: e.calls > 0 && e.errors / e.calls >= 0.05 ? 'high' : '' }, fmtPct(e.errors / Math.max(1, e.calls))),
              ),
            ),
          ),
        ),
  );
}

export async function servicePage(root: HTMLElement, name: string): Promise<void> {
  const params = new URLSearchParams(location.search);
  const start = params.get('start') ?? 'now-1h';
  const graph = await api<{ nodes: GraphNode[]; edges: GraphEdge[] }>(`/api/v1/graph?start=${encodeURIComponent(start)}`);
  const node = graph.nodes.find((n) => n.id === name);
  const seconds = windowSeconds(start);
  const charts = h('section', { class: 'charts', 'aria-label': 'Per-minute chart' });
  root.replaceChildren(
    h('p', {}, h('a', { href: '/services' }, '← Services')),
    h('h1', {}, name),
    windowChooser(`/services/${encodeURIComponent(name)}`, start),
    node
      ? h(
          'p',
          { class: 'meta' },
          `${node.kind}: ${(node.requests / seconds).toFixed(2)} requests/s, P99 ${fmtMs(node.p99Ms)}, errors ${fmtPct(node.errorRate)} in the window.`,
        )
      : h('p', {}, `No spans of ${name} in this window.`),
    charts,
    edgeTable(
      'Called by',
      graph.edges.filter((e) => e.target === name),
      (e) => e.source,
      seconds,
    ),
    edgeTable(
      'Calls',
      graph.edges.filter((e) => e.source === name),
      (e) => e.target,
      seconds,
    ),
  );
  if (node?.kind === 'service') {
    const now = Date.now();
    const from = new Date(now - seconds * 1000).toISOString();
    charts.append(
      await latencyChart(
        { service: name, role: 'this service', startIso: from, endIso: new Date(now).toISOString(), windowStartIso: from, changes: [] },
        charts,
      ).catch((err: unknown) => h('p', {}, `No chart: ${String(err)}`)),
    );
  }
}
