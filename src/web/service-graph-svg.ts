/**
 * The incident's service graph as SVG, laid out left to right in layers by dagre: nodes coloured by their candidate
 * verdict, the path from the alerting service to the top candidate drawn heavier.
 */
import dagre from '@dagrejs/dagre';
import type { Report } from '../rca/report.js';

const NS = 'http://www.w3.org/2000/svg';
const svg = (tag: string, attrs: Record<string, string | number>, text?: string): SVGElement => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
};

export function serviceGraphSvg(r: Report): SVGElement {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 60, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const verdict = new Map(r.candidates.map((c) => [c.service, c.verdict]));
  const top = r.candidates[0];
  const path = new Set(top?.path ?? []);
  const onPath = (a: string, b: string) => path.has(a) && path.has(b) && (top?.path.indexOf(b) ?? -1) === (top?.path.indexOf(a) ?? -2) + 1;
  for (const n of r.graph.nodes) g.setNode(n.id, { label: n.id, width: Math.max(90, n.id.length * 8 + 20), height: 36 });
  for (const e of r.graph.edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const { width = 200, height = 100 } = g.graph();
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `Service graph; path to the top candidate: ${[...path].join(' -> ')}`,
    class: 'graph',
  });
  for (const e of g.edges()) {
    const pts: { x: number; y: number }[] = g.edge(e).points ?? [];
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${p.x},${p.y}`).join(' ');
    root.append(svg('path', { d, class: onPath(e.v, e.w) ? 'edge on-path' : 'edge', 'data-edge': `${e.v}->${e.w}` }));
  }
  for (const id of g.nodes()) {
    const n = g.node(id);
    const cls = `node ${verdict.get(id) ?? 'normal'}${path.has(id) ? ' on-path' : ''}${top?.service === id ? ' top' : ''}`;
    const group = svg('g', { class: cls, 'data-node': id, transform: `translate(${n.x - n.width / 2},${n.y - n.height / 2})` });
    group.append(
      svg('rect', { width: n.width, height: n.height, rx: 6 }),
      svg('text', { x: n.width / 2, y: n.height / 2 + 4, 'text-anchor': 'middle' }, id),
    );
    root.append(group);
  }
  return root;
}
