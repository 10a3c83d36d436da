/**
 * A service graph as SVG, laid out left to right in layers by dagre: arrows for call direction, each node with its
 * P99 and error rate, databases, queues and external APIs drawn as their own shapes, nodes coloured by state (origin,
 * affected, paging, normal) with a legend, and the edges of every route from the alerting service to the origin
 * highlighted (the top path heavier) and labelled with calls/s, P99 and errors. Every edge has its figures on hover.
 * The drawing keeps its natural size and scrolls inside its box when wider, so 40 nodes stay readable.
 */
import dagre from '@dagrejs/dagre';
import { fmtMs, fmtPct } from './format.js';
import { h } from './dom.js';

export interface GraphNode {
  id: string;
  kind: string;
  requests: number;
  errorRate: number;
  p99Ms: number;
}

export interface GraphEdge {
  source: string;
  target: string;
  calls: number;
  errors: number;
  p99Ms: number;
}

export type NodeState = 'origin' | 'suspect' | 'affected' | 'paging' | 'normal';

export interface GraphOptions {
  /** Seconds the figures cover (for calls/s). */
  seconds: number;
  state: (id: string) => NodeState;
  /** The alerting service and the origin: every route between them is highlighted. */
  from?: string;
  to?: string;
  /** The top candidate's path (drawn heavier). */
  path?: string[];
  /** A click on a node (the map opens its service page). */
  href?: (id: string) => string | undefined;
  label: string;
}

const NS = 'http://www.w3.org/2000/svg';
const svg = (tag: string, attrs: Record<string, string | number>, text?: string): SVGElement => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
};

const KIND_CAPTION: Record<string, string> = { database: 'database', messaging: 'queue', external: 'external API' };

/** Nodes reachable from `start` following edges forward (or backward). */
function reach(edges: GraphEdge[], start: string, forward: boolean): Set<string> {
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (const e of edges) {
      const [a, b] = forward ? [e.source, e.target] : [e.target, e.source];
      if (a === n && !seen.has(b)) {
        seen.add(b);
        stack.push(b);
      }
    }
  }
  return seen;
}

function nodeShape(kind: string, w: number, hgt: number): SVGElement {
  if (kind === 'database') {
    // A cylinder: the body, then the top ellipse's front edge.
    const ry = 6;
    const g = svg('g', {});
    g.append(
      svg('path', {
        class: 'shape',
        d: `M0,${ry} v${hgt - 2 * ry} a${w / 2},${ry} 0 0 0 ${w},0 v${-(hgt - 2 * ry)} a${w / 2},${ry} 0 0 0 ${-w},0 z`,
      }),
      svg('path', { class: 'shape-line', d: `M0,${ry} a${w / 2},${ry} 0 0 0 ${w},0` }),
    );
    return g;
  }
  if (kind === 'messaging') {
    const g = svg('g', {});
    g.append(
      svg('rect', { class: 'shape', width: w, height: hgt, rx: 2 }),
      svg('rect', { class: 'shape-line', x: 4, y: 4, width: w - 8, height: hgt - 8, rx: 1 }),
    );
    return g;
  }
  return svg('rect', { class: `shape${kind === 'external' ? ' external' : ''}`, width: w, height: hgt, rx: kind === 'external' ? 16 : 6 });
}

export function serviceGraphSvg(nodes: GraphNode[], edges: GraphEdge[], o: GraphOptions): HTMLElement {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 28, ranksep: 90, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(nodes.map((n) => n.id));
  const figuresOf = (n: GraphNode): string => {
    const f = `P99 ${fmtMs(n.p99Ms)}${n.errorRate > 0 ? ` · ${fmtPct(n.errorRate)} err` : ''}`;
    return KIND_CAPTION[n.kind] ? `${KIND_CAPTION[n.kind]} · ${f}` : f;
  };
  // Wide enough for the name (13 px bold) and the figures line (11 px).
  for (const n of nodes) g.setNode(n.id, { width: Math.max(120, n.id.length * 8 + 24, figuresOf(n).length * 6.3 + 20), height: 48 });
  const shown = edges.filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target);
  for (const e of shown) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const { width = 200, height = 100 } = g.graph();
  const path = o.path ?? [];
  const onPath = (a: string, b: string) => path.indexOf(b) >= 0 && path.indexOf(b) === path.indexOf(a) + 1;
  const fromStart = o.from ? reach(shown, o.from, true) : new Set<string>();
  const toEnd = o.to ? reach(shown, o.to, false) : new Set<string>();
  const onRoute = (a: string, b: string) => o.from !== undefined && o.to !== undefined && fromStart.has(a) && toEnd.has(b);
  // A picture, unless its nodes are links (then a group: an image cannot hold interactive parts).
  const root = svg('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: o.href ? 'group' : 'img',
    'aria-label': o.label,
    class: 'graph',
  });
  const defs = svg('defs', {});
  for (const id of ['arrow', 'arrow-route']) {
    const marker = svg('marker', {
      id,
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: 'auto-start-reverse',
    });
    marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: id }));
    defs.append(marker);
  }
  root.append(defs);
  const byKey = new Map(shown.map((e) => [`${e.source}\u0000${e.target}`, e]));
  for (const e of g.edges()) {
    const stats = byKey.get(`${e.v}\u0000${e.w}`)!;
    const pts: { x: number; y: number }[] = g.edge(e).points ?? [];
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${p.x},${p.y}`).join(' ');
    const route = onRoute(e.v, e.w);
    const cls = `edge${route ? ' on-route' : ''}${onPath(e.v, e.w) ? ' on-path' : ''}`;
    const rate = `${(stats.calls / Math.max(1, o.seconds)).toFixed(stats.calls / o.seconds >= 10 ? 0 : 1)}/s`;
    const errors = stats.errors > 0 ? ` · ${fmtPct(stats.errors / Math.max(1, stats.calls))} err` : '';
    const text = `${rate} · P99 ${fmtMs(stats.p99Ms)}${errors}`;
    const group = svg('g', { class: cls, 'data-edge': `${e.v}->${e.w}` });
    group.append(
      svg('title', {}, `${e.v} → ${e.w}: ${text}`),
      svg('path', { d, 'marker-end': `url(#${route ? 'arrow-route' : 'arrow'})` }),
    );
    if (route && pts.length > 0) {
      // Halfway between the ends (dagre's middle point sits near the target's box).
      const [a, b] = [pts[0]!, pts[pts.length - 1]!];
      group.append(svg('text', { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 8, 'text-anchor': 'middle', class: 'edge-label' }, text));
    }
    root.append(group);
  }
  const stats = new Map(nodes.map((n) => [n.id, n]));
  for (const id of g.nodes()) {
    const n = g.node(id);
    const s = stats.get(id)!;
    const state = o.state(id);
    const cls = `node ${state} kind-${s.kind}${path.includes(id) ? ' on-path' : ''}`;
    const group = svg('g', { class: cls, 'data-node': id, transform: `translate(${n.x - n.width / 2},${n.y - n.height / 2})` });
    const figures = figuresOf(s);
    group.append(
      svg('title', {}, `${id} (${KIND_CAPTION[s.kind] ?? 'service'}, ${state}): ${figures}`),
      nodeShape(s.kind, n.width, n.height),
      svg('text', { x: n.width / 2, y: 20, 'text-anchor': 'middle', class: 'name' }, id),
      svg('text', { x: n.width / 2, y: 36, 'text-anchor': 'middle', class: 'figures' }, figures),
    );
    const href = o.href?.(id);
    if (href) {
      const a = svg('a', { href });
      a.append(group);
      root.append(a);
    } else root.append(group);
  }
  // Focusable, so a keyboard can scroll a graph wider than its column.
  return h('div', { class: 'graph-box', tabindex: 0, role: 'region', 'aria-label': o.label }, root);
}

/** The legend of states and shapes the graph uses. */
export function graphLegend(states: NodeState[], routes = true): HTMLElement {
  const words: Record<NodeState, string> = {
    origin: 'origin (root cause)',
    suspect: 'suspect',
    affected: 'affected (waits on the origin)',
    paging: 'paging now',
    normal: 'normal',
  };
  return h(
    'ul',
    { class: 'graph-legend', 'aria-label': 'Legend' },
    ...states.map((s) => h('li', { class: `legend-${s}` }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), words[s])),
    routes
      ? h(
          'li',
          { class: 'legend-route' },
          h('span', { class: 'swatch', 'aria-hidden': 'true' }),
          'route to the origin (calls/s · P99 · errors)',
        )
      : null,
    h('li', { class: 'legend-shapes' }, 'shapes: box service, cylinder database, double box queue, rounded dashed external API'),
  );
}
