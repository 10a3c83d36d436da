/**
 * GET /map: the whole service graph for a chosen window and environment, like Tempo's, Coroot's and Jaeger's maps:
 * per-edge calls/s, P99 and errors (hover; the labels for edges into services that are paging), virtual nodes in
 * their own shapes, services with a firing incident highlighted, and a click on a node opening its service page.
 */
import type { IncidentSummary } from '../rca/incident-summary.js';
import { api } from './api-client.js';
import { h } from './dom.js';
import { graphLegend, serviceGraphSvg, type GraphEdge, type GraphNode } from './service-graph-svg.js';
import { windowChooser, windowSeconds } from './window-chooser.js';

export async function mapPage(root: HTMLElement): Promise<void> {
  const params = new URLSearchParams(location.search);
  const start = params.get('start') ?? 'now-15m';
  const environment = params.get('environment') ?? '';
  const query = new URLSearchParams({ start, ...(environment ? { environment } : {}) });
  const [graph, firing] = await Promise.all([
    api<{ nodes: GraphNode[]; edges: GraphEdge[] }>(`/api/v1/graph?${query}`),
    api<IncidentSummary[]>('/api/v1/incidents?status=firing&limit=200'),
  ]);
  const paging = new Set(firing.map((i) => i.service));
  root.replaceChildren(
    h('h1', {}, 'Service map'),
    windowChooser('/map', start, environment),
    h(
      'p',
      { class: 'meta' },
      `${graph.nodes.length} nodes, ${graph.edges.length} edges; ${paging.size ? `paging now: ${[...paging].join(', ')}` : 'nothing paging'}. Hover an edge for its figures; click a node for its service page.`,
    ),
    graph.nodes.length === 0
      ? h('p', {}, 'No spans in this window.')
      : serviceGraphSvg(graph.nodes, graph.edges, {
          seconds: windowSeconds(start),
          state: (id) => (paging.has(id) ? 'paging' : 'normal'),
          href: (id) => `/services/${encodeURIComponent(id)}`,
          label: `Service map: ${graph.nodes.length} nodes`,
        }),
    graphLegend(['paging', 'normal'], false),
  );
}
