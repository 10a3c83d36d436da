/**
 * GET /slos: every SLO with its objective, SLI over its window, error budget left, burn rates, and a chart of the
 * budget left over the window (per hour, from the window's start). No traffic shows as "no data", never 100 %.
 */
import uPlot from 'uplot';
import type { SloStatus, SloWindowFigures as Figures } from '../slo/slo-status.js';
import { api } from './api-client.js';
import { h } from './dom.js';
import { fmtPct, fmtUtc } from './format.js';

const BURN_SHOWN = ['5m', '1h', '6h', '3d'];
const fmtBurn = (f: Figures | undefined): string =>
  f?.burnRate === null || f?.burnRate === undefined ? 'no data' : `${f.burnRate.toFixed(1)}x`;
const sliText = (s: SloStatus): string => (s.sli.type === 'latency' ? `requests within ${s.sli.thresholdMs} ms` : 'requests without error');

function budgetCell(s: SloStatus): HTMLElement {
  if (s.errorBudgetRemaining === null) return h('td', { class: 'budget no-data' }, 'no data');
  const left = s.errorBudgetRemaining;
  const width = Math.max(0, Math.min(1, left)) * 100;
  return h(
    'td',
    { class: `budget ${left <= 0 ? 'spent' : left < 0.25 ? 'low' : ''}` },
    h('span', { class: 'bar', style: `--left:${width.toFixed(1)}%` }),
    ` ${fmtPct(left)}`,
  );
}

function budgetChart(s: SloStatus, width: number): HTMLElement {
  const box = h(
    'figure',
    { class: 'chart slo-chart', 'data-slo': s.name },
    h('figcaption', {}, `${s.name}: error budget left over the ${s.window} window (per hour, UTC)`),
  );
  const points = s.series ?? [];
  if (points.length === 0) {
    box.append(h('p', {}, 'No requests in the window: no data.'));
    return box;
  }
  new uPlot(
    {
      width,
      height: 160,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { pct: { range: (_u, min, max) => [Math.min(0, min), Math.max(1, max)] } },
      series: [
        {},
        {
          label: 'budget left',
          stroke: '#2c6e49',
          fill: 'rgba(44,110,73,0.12)',
          scale: 'pct',
          value: (_u, v) => (v === null ? '-' : fmtPct(v)),
        },
      ],
      axes: [{}, { scale: 'pct', size: 56, values: (_u, vs) => vs.map((v) => `${Math.round(v * 100)}%`) }],
    },
    [points.map((p) => Date.parse(p.at) / 1000), points.map((p) => p.budgetRemaining)],
    box,
  );
  return box;
}

export async function slosPage(root: HTMLElement): Promise<void> {
  const list = await api<{ file: string | null; fileError?: string; slos: SloStatus[] }>('/api/v1/slos');
  const heading = [h('p', {}, h('a', { href: '/' }, '← Incidents')), h('h1', {}, 'SLOs')];
  if (list.slos.length === 0) {
    root.replaceChildren(
      ...heading,
      h('p', {}, list.file ? `No SLOs in ${list.file}.` : 'No SLOs: set FAULTLINE_SLO_FILE to a YAML file of SLOs (docs/slo.md).'),
    );
    return;
  }
  const table = h(
    'table',
    { class: 'slos' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['SLO', 'Objective', 'SLI', 'Budget left', ...BURN_SHOWN.map((w) => `Burn ${w}`)].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      ...list.slos.map((s) =>
        h(
          'tr',
          { 'data-slo': s.name },
          h(
            'th',
            { scope: 'row' },
            h('strong', {}, s.name),
            h('br'),
            h(
              'small',
              {},
              `${s.service}${s.operation ? ` ${s.operation}` : ''}${s.environment ? ` (${s.environment})` : ''}: ${sliText(s)}`,
            ),
          ),
          h('td', {}, `${s.objective}% over ${s.window}`),
          h('td', { class: 'sli' }, s.current.sli === null ? 'no data' : fmtPct(s.current.sli)),
          budgetCell(s),
          ...BURN_SHOWN.map((w) =>
            h('td', { class: `burn ${(s.burnRates[w]?.burnRate ?? 0) >= 6 ? 'hot' : ''}` }, fmtBurn(s.burnRates[w])),
          ),
        ),
      ),
    ),
  );
  const charts = h('section', { class: 'charts', 'aria-label': 'Budget charts' }, h('h2', {}, 'Error budget over the window'));
  root.replaceChildren(
    ...heading,
    ...(list.fileError ? [h('p', { class: 'warning', role: 'alert' }, `The SLO file changed but was not loaded: ${list.fileError}`)] : []),
    h('p', { class: 'meta' }, `Windows end ${fmtUtc(list.slos[0]!.end)}; SLOs from ${list.file}.`),
    h('div', { class: 'scroll' }, table),
    charts,
  );
  const width = Math.max(300, Math.min(1100, charts.clientWidth || root.clientWidth) - 8);
  for (const s of list.slos) charts.append(budgetChart(await api<SloStatus>(`/api/v1/slos/${encodeURIComponent(s.name)}`), width));
}
