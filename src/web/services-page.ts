/** GET /services: services and virtual nodes with request rate, error rate, P50 and P99 for a window; sortable. */
import { api } from './api-client.js';
import { h } from './dom.js';
import { fmtMs, fmtPct } from './format.js';

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
  const table = h('table', { class: 'services' });
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
            h('th', { scope: 'row' }, s.name),
            h('td', {}, s.kind),
            h('td', {}, s.requestsPerSecond.toFixed(2)),
            h('td', {}, fmtPct(s.errorRate)),
            h('td', {}, fmtMs(s.p50Ms)),
            h('td', {}, fmtMs(s.p99Ms)),
          ),
        ),
      ),
    );
  };
  render();
  const windows = ['now-15m', 'now-1h', 'now-6h', 'now-24h'];
  const chooser = h(
    'form',
    { class: 'filters', method: 'get', action: '/services' },
    h('label', { for: 'f-start' }, 'Window'),
    h(
      'select',
      { id: 'f-start', name: 'start' },
      ...[...new Set([...windows, start])].map((w) => h('option', { value: w, selected: w === start }, w.replace('now-', 'last '))),
    ),
    h('button', { type: 'submit' }, 'Show'),
  );
  root.replaceChildren(
    h('p', {}, h('a', { href: '/' }, '← Incidents')),
    h('h1', {}, 'Services'),
    chooser,
    h('div', { class: 'scroll' }, table),
  );
}
