/** GET /traces/:traceId: a waterfall of the trace's spans by start and duration; errors marked, attributes on click. */
import { api } from './api-client.js';
import { h } from './dom.js';
import { fmtMs } from './format.js';

interface TraceSpan {
  spanId: string;
  parentSpanId: string;
  service: string;
  name: string;
  kind: string;
  startNs: string;
  durationMs: number;
  status: string;
  attributes: Record<string, string>;
  events?: { name: string; attributes: Record<string, string> }[];
}

const COLOURS = ['#2e86de', '#10ac84', '#ee5253', '#ff9f43', '#8395a7', '#5f27cd', '#01a3a4', '#c8d6e5'];

export async function tracePage(root: HTMLElement, traceId: string): Promise<void> {
  const t = await api<{ traceId: string; spans: TraceSpan[] }>(`/api/v1/traces/${encodeURIComponent(traceId)}`);
  const start = Math.min(...t.spans.map((s) => Number(BigInt(s.startNs) / 1000n) / 1000));
  const end = Math.max(...t.spans.map((s) => Number(BigInt(s.startNs) / 1000n) / 1000 + s.durationMs));
  const total = Math.max(1e-3, end - start);
  const services = [...new Set(t.spans.map((s) => s.service))];
  const depth = new Map<string, number>();
  const byId = new Map(t.spans.map((s) => [s.spanId, s]));
  const depthOf = (s: TraceSpan): number => {
    if (depth.has(s.spanId)) return depth.get(s.spanId)!;
    const parent = byId.get(s.parentSpanId);
    const d = parent && parent !== s ? depthOf(parent) + 1 : 0;
    depth.set(s.spanId, d);
    return d;
  };
  const details = h('pre', { class: 'attributes', 'aria-live': 'polite' }, 'Select a span to see its attributes.');
  const rows = t.spans.map((s) => {
    const offset = Number(BigInt(s.startNs) / 1000n) / 1000 - start;
    const bar = h('span', {
      class: `bar${s.status === 'Error' ? ' error' : ''}`,
      style: `left:${(offset / total) * 100}%;width:${Math.max(0.3, (s.durationMs / total) * 100)}%;background:${COLOURS[services.indexOf(s.service) % COLOURS.length]}`,
    });
    return h(
      'li',
      { class: 'span', 'data-span': s.spanId },
      h(
        'button',
        {
          type: 'button',
          style: `padding-left:${depthOf(s) * 12}px`,
          onclick: () =>
            (details.textContent = JSON.stringify(
              { service: s.service, name: s.name, kind: s.kind, status: s.status, attributes: s.attributes, events: s.events ?? [] },
              null,
              2,
            )),
        },
        `${s.service} ${s.name}${s.status === 'Error' ? ' ⚠' : ''} · ${fmtMs(s.durationMs)}`,
      ),
      h('span', { class: 'track' }, bar),
    );
  });
  root.replaceChildren(
    h('p', {}, h('a', { href: '/' }, '← Incidents')),
    h('h1', {}, `Trace ${t.traceId}`),
    h('p', {}, `${t.spans.length} spans, ${fmtMs(total)}`),
    h('ol', { class: 'waterfall' }, ...rows),
    details,
  );
}
