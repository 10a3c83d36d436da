/** GET /services: services and virtual nodes with request rate, error rate, P50 and P99 for a window; sortable. */
import { api } from './api-client.js';
import { h } from './dom.js';
import { fmtMs, fmtPct } from './format.js';
import { windowChooser } from './window-chooser.js';

interface ServiceRow {
  name: string;
  kind: string;
  requests: number;
  /** Per second of the window that holds the service's data (the API divides). */
  requestsPerSecond: number;
  errorRate: number;
  p50Ms: number;
  p99Ms: number;
}

const COLUMNS: [keyof ServiceRow, string][] = [
  ['name', 'Service'],
  ['kind', 'Kind'],
  ['requestsPerSecond', 'Requests/s'],
  ['errorRate', 'Error rate'],
  ['p50Ms', 'P50'],
  ['p99Ms', 'P99'],
];

export async function servicesPage(root: HTMLElement): Promise<void> {
  const params = new URLSearchParams(location.search);
  const start = params.get('start') ?? 'now-15m';
  const rows = await api<ServiceRow[]>(`/api/v1/services?start=${encodeURIComponent(start)}`);
  let sortKey: keyof ServiceRow = (params.get('sort') as keyof ServiceRow) ?? 'p99Ms';
  const table = h('table', { class: 'services stack' });
  const render = () => {
    const sorted = [...rows].sort((a, b) =>
      typeof a[sortKey] === 'string' ? String(a[sortKey]).localeCompare(String(b[sortKey])) : Number(b[sortKey]) - Number(a[sortKey]),
    );
    table.replaceChildren(
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...COLUMNS.map(([k, t]) =>
            h(
              'th',
              { scope: 'col', 'aria-sort': k === sortKey ? 'descending' : undefined },
              h('button', { type: 'button', onclick: () => ((sortKey = k), render()) }, t),
            ),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...sorted.map((s) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row', 'data-label': 'Service' }, h('a', { href: `/services/${encodeURIComponent(s.name)}` }, s.name)),
            h('td', { 'data-label': 'Kind' }, s.kind),
            h('td', { 'data-label': 'Requests/s' }, s.requestsPerSecond.toFixed(2)),
            // A high error rate stands out (5 % and above), in words as well as colour.
            h(
              'td',
              { 'data-label': 'Error rate', class: s.errorRate >= 0.05 ? 'high' : '' },
              fmtPct(s.errorRate),
              s.errorRate >= 0.05 ? h('span', { class: 'flag' }, ' high') : '',
            ),
            h('td', { 'data-label': 'P50' }, fmtMs(s.p50Ms)),
            h('td', { 'data-label': 'P99' }, fmtMs(s.p99Ms)),
          ),
        ),
      ),
    );
  };
  render();
  root.replaceChildren(h('h1', {}, 'Services'), windowChooser('/services', start), table);
}
