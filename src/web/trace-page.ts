/**
 * GET /traces/:traceId: a waterfall of the trace's spans, parents before their children (by start), with a time
 * ruler and a service legend whose palette keeps red for errors only. Opened from an incident
 * (`?incident=&candidate=&span=`), it highlights the candidate's spans and the request's critical path (from the
 * root, the child that ends last, down), and links back to the incident. A click shows the span as a table.
 */
import { api } from './api-client.js';
import { h } from './dom.js';
import { fmtMs, fmtUtc } from './format.js';

interface TraceSpan {
  spanId: string;
  parentSpanId: string;
  service: string;
  name: string;
  kind: string;
  startNs: string;
  durationMs: number;
  status: string;
  statusMessage?: string;
  attributes: Record<string, string>;
  resource: Record<string, string>;
  events?: { timeNs: string; name: string; attributes: Record<string, string> }[];
  links?: { traceId: string; spanId: string }[];
}

/** No red: red means an error on this page. */
const PALETTE = ['#2e86de', '#10ac84', '#8e7cc3', '#f6b93b', '#0abde3', '#6a89cc', '#38ada9', '#b8860b', '#78909c', '#5f27cd'];
const msOf = (s: TraceSpan): number => Number(BigInt(s.startNs) / 1000n) / 1000;

/** Parents before children, siblings by start; spans whose parent is missing start their own subtree. */
function treeOrder(spans: TraceSpan[]): { span: TraceSpan; depth: number }[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, TraceSpan[]>();
  for (const s of spans) {
    const parent = s.parentSpanId && ids.has(s.parentSpanId) && s.parentSpanId !== s.spanId ? s.parentSpanId : '';
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  for (const list of children.values()) list.sort((a, b) => msOf(a) - msOf(b));
  const out: { span: TraceSpan; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (s: TraceSpan, depth: number): void => {
    if (seen.has(s.spanId)) return;
    seen.add(s.spanId);
    out.push({ span: s, depth });
    for (const c of children.get(s.spanId) ?? []) walk(c, depth + 1);
  };
  for (const r of children.get('') ?? []) walk(r, 0);
  return out;
}

/**
 * The critical path: from the root that ends last, walk each span's children backwards from its end: the child that
 * ended last before that moment is what the span waited for; then the one that ended before that child started, and
 * so on (sequential calls are all on it, a short parallel sibling is not), recursively.
 */
function criticalPath(spans: TraceSpan[]): Set<string> {
  const children = new Map<string, TraceSpan[]>();
  for (const s of spans) children.set(s.parentSpanId, [...(children.get(s.parentSpanId) ?? []), s]);
  const ids = new Set(spans.map((s) => s.spanId));
  const out = new Set<string>();
  const end = (s: TraceSpan) => msOf(s) + s.durationMs;
  const walk = (s: TraceSpan): void => {
    if (out.has(s.spanId)) return;
    out.add(s.spanId);
    const kids = children.get(s.spanId) ?? [];
    for (let t = end(s) + 0.001; ;) {
      const next = kids.filter((k) => end(k) <= t && !out.has(k.spanId)).sort((a, b) => end(b) - end(a))[0];
      if (!next) return;
      walk(next);
      t = msOf(next) + 0.001;
    }
  };
  const root = spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId)).sort((a, b) => end(b) - end(a))[0];
  if (root) walk(root);
  return out;
}

function spanTable(s: TraceSpan, offsetMs: number): HTMLElement {
  const kv = (m: Record<string, string>): string =>
    Object.entries(m)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') || '-';
  const rows: [string, string][] = [
    ['Name', s.name],
    ['Service', s.service],
    ['Kind', s.kind],
    ['Span id', s.spanId],
    ['Parent span id', s.parentSpanId || '(root)'],
    ['Start offset', fmtMs(offsetMs)],
    ['Start', fmtUtc(msOf(s))],
    ['Duration', fmtMs(s.durationMs)],
    ['Status', `${s.status}${s.statusMessage ? `: ${s.statusMessage}` : ''}`],
    ['Attributes', kv(s.attributes)],
    ['Resource', kv(s.resource ?? {})],
    ['Events', (s.events ?? []).map((e) => `${e.name} ${kv(e.attributes).replace(/\n/g, ', ')}`).join('\n') || '-'],
    ['Links', (s.links ?? []).map((l) => `${l.traceId} / ${l.spanId}`).join('\n') || '-'],
  ];
  return h(
    'table',
    { class: 'span-details' },
    h('tbody', {}, ...rows.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, h('pre', {}, v))))),
  );
}

export async function tracePage(root: HTMLElement, traceId: string): Promise<void> {
  const params = new URLSearchParams(location.search);
  const incident = params.get('incident');
  const candidate = params.get('candidate') ?? '';
  const chosen = params.get('span') ?? '';
  const t = await api<{ traceId: string; spans: TraceSpan[] }>(`/api/v1/traces/${encodeURIComponent(traceId)}`);
  const start = Math.min(...t.spans.map(msOf));
  const total = Math.max(1e-3, Math.max(...t.spans.map((s) => msOf(s) + s.durationMs)) - start);
  const services = [...new Set(t.spans.map((s) => s.service))].sort();
  const colour = (service: string) => PALETTE[services.indexOf(service) % PALETTE.length]!;
  const critical = criticalPath(t.spans);
  // The candidate's spans: its own (a service), either side of it (an edge), or the span the exemplar named.
  const [edgeFrom, edgeTo] = candidate.split(' -> ');
  const isCandidate = (s: TraceSpan): boolean =>
    s.spanId === chosen ||
    s.service === candidate ||
    (edgeTo !== undefined && (s.service === edgeFrom || s.service === edgeTo) && (s.kind === 'Client' || s.kind === 'Server'));
  const details = h('div', { class: 'details', 'aria-live': 'polite' }, h('p', {}, 'Select a span to see its details.'));
  const ordered = treeOrder(t.spans);
  const rows = ordered.map(({ span: s, depth }) => {
    const offset = msOf(s) - start;
    const error = s.status === 'Error';
    const cls = ['span', isCandidate(s) ? 'candidate' : '', critical.has(s.spanId) ? 'critical' : '', error ? 'error' : '']
      .filter(Boolean)
      .join(' ');
    const bar = h('span', {
      class: `bar${error ? ' error' : ''}`,
      style: `left:${(offset / total) * 100}%;width:${Math.max(0.3, (s.durationMs / total) * 100)}%;background:${colour(s.service)}`,
    });
    return h(
      'li',
      { class: cls, 'data-span': s.spanId, 'data-depth': depth },
      h(
        'button',
        {
          type: 'button',
          style: `padding-left:${Math.min(depth, 12) * 10}px`,
          onclick: () => details.replaceChildren(h('h2', {}, `${s.service}: ${s.name}`), spanTable(s, offset)),
        },
        h('span', { class: 'svc-dot', style: `background:${colour(s.service)}`, 'aria-hidden': 'true' }),
        `${s.service} ${s.name}`,
        error ? h('span', { class: 'error-label' }, ' error') : '',
        ` · ${fmtMs(s.durationMs)}`,
      ),
      h('span', { class: 'track' }, bar),
    );
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => h('span', { class: 'tick', style: `left:${f * 100}%` }, fmtMs(f * total)));
  root.replaceChildren(
    h(
      'p',
      {},
      incident
        ? h('a', { href: `/incidents/${encodeURIComponent(incident)}`, id: 'back' }, `← Back to incident ${incident}`)
        : h('a', { href: '/', id: 'back' }, '← Incidents'),
    ),
    h('h1', {}, `Trace ${t.traceId}`),
    h(
      'p',
      {},
      `${t.spans.length} spans, ${fmtMs(total)}, started ${fmtUtc(start)}.`,
      candidate ? ` Highlighted: ${candidate}'s spans;` : '',
      ' bold outline: the critical path (what the request waited for).',
    ),
    h(
      'ul',
      { class: 'trace-legend', 'aria-label': 'Services' },
      ...services.map((s) => h('li', {}, h('span', { class: 'svc-dot', style: `background:${colour(s)}`, 'aria-hidden': 'true' }), s)),
      h('li', { class: 'legend-error' }, h('span', { class: 'svc-dot error', 'aria-hidden': 'true' }), 'error'),
    ),
    h('div', { class: 'ruler', 'aria-hidden': 'true' }, h('span', {}), h('span', { class: 'ticks' }, ...ticks)),
    h('ol', { class: 'waterfall' }, ...rows),
    details,
  );
  const first = rows.find((r) => r.classList.contains('candidate'));
  if (first) first.querySelector('button')!.click();
}
