/** GET /: incidents, newest first, filterable by service and status; refreshes itself while any is firing. */
import type { IncidentSummary } from '../rca/incident-summary.js';
import { api } from './api-client.js';
import { h } from './dom.js';
import { fmtAge, fmtTime } from './format.js';

export async function incidentsPage(root: HTMLElement): Promise<void> {
  const params = new URLSearchParams(location.search);
  const query = new URLSearchParams({ limit: '100' });
  for (const k of ['service', 'status']) if (params.get(k)) query.set(k, params.get(k)!);
  const list = await api<IncidentSummary[]>(`/api/v1/incidents?${query}`);
  const filter = h(
    'form',
    { class: 'filters', method: 'get', action: '/' },
    h('label', { for: 'f-service' }, 'Service'),
    h('input', { id: 'f-service', name: 'service', value: params.get('service') ?? '' }),
    h('label', { for: 'f-status' }, 'Status'),
    h(
      'select',
      { id: 'f-status', name: 'status' },
      ...['', 'firing', 'resolved', 'done', 'running', 'failed'].map((s) =>
        h('option', { value: s, selected: params.get('status') === s }, s || 'any'),
      ),
    ),
    h('button', { type: 'submit' }, 'Filter'),
  );
  const rows = list.map((i) => {
    return h(
      'tr',
      {},
      h(
        'td',
        { 'data-label': 'Alert' },
        h('a', { href: `/incidents/${i.id}` }, i.alertname ?? 'incident'),
        ' ',
        h('span', { class: `badge ${i.alertStatus}` }, i.alertStatus),
      ),
      h('td', { 'data-label': 'Service' }, i.service),
      h(
        'td',
        { class: 'top-candidate', 'data-label': 'Verdict' },
        // The verdict in the words the incident page and the hand-offs use.
        i.headline,
        i.origin ? h('br') : '',
        i.origin ? h('strong', {}, i.origin) : '',
        i.confidence ? ` (${i.confidence})` : '',
      ),
      h('td', { 'data-label': 'Started', title: fmtTime(i.startsAt) }, fmtAge(i.startsAt)),
      h('td', { 'data-label': 'Time to root cause' }, i.timeToRootCauseSeconds === null ? '-' : `${i.timeToRootCauseSeconds} s`),
      h('td', { 'data-label': 'Duration' }, i.durationSeconds === null ? 'firing' : `${Math.round(i.durationSeconds / 60)} min`),
    );
  });
  root.replaceChildren(
    h('h1', {}, 'Incidents'),
    filter,
    list.length === 0
      ? h('p', {}, 'No incidents.')
      : h(
          'table',
          { class: 'incidents stack' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['Alert', 'Service', 'Verdict', 'Started', 'Time to root cause', 'Duration'].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h('tbody', {}, ...rows),
        ),
  );
  if (list.some((i) => i.alertStatus === 'firing' || i.status === 'running' || i.status === 'pending'))
    setTimeout(() => void incidentsPage(root), 15_000);
}
