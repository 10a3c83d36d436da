/**
 * A per-minute P99 and error-rate chart of one service across baseline and window, drawn with uPlot at the full width
 * of its column (resizing with the window). The window's start and each deployment change are marked; a minute not
 * over yet is left out (its P99 would "drop" and its error rate jump on a few requests); the axis reads in the
 * table's units (ms, s); the legend shows the values at the cursor, and the window's peak P99 before one is moved.
 */
import uPlot from 'uplot';
import type { DeploymentChange } from '../rca/report.js';
import { api } from './api-client.js';
import { h } from './dom.js';
import { fmtMs, fmtPct, fmtUtc } from './format.js';

interface Series {
  points: { at: string; requests: number; errorRate: number; p99Ms: number }[];
}

export interface ChartRequest {
  service: string;
  /** Why it is charted: "alerting", "origin", "on the path". */
  role: string;
  startIso: string;
  endIso: string;
  windowStartIso: string;
  changes: DeploymentChange[];
}

/** The theme's text colour, for axes and markers (the pages have a dark theme). */
const ink = (): string => getComputedStyle(document.body).color || '#1e272e';

export async function latencyChart(req: ChartRequest, column: HTMLElement): Promise<HTMLElement> {
  const s = await api<Series>(
    `/api/v1/services/${encodeURIComponent(req.service)}/series?start=${encodeURIComponent(req.startIso)}&end=${encodeURIComponent(req.endIso)}`,
  );
  // A minute is complete once it ended before the window's end and before now.
  const complete = Math.min(Date.parse(req.endIso), Date.now());
  const points = s.points.filter((p) => Date.parse(p.at) + 60_000 <= complete);
  const changes = req.changes.filter((c) => Date.parse(c.firstSeen) >= Date.parse(req.startIso));
  const box = h(
    'figure',
    { class: 'chart', 'data-service': req.service, 'data-role': req.role },
    h(
      'figcaption',
      {},
      h('strong', {}, req.service),
      ` (${req.role}): P99 and error rate per minute, UTC. Dashed line: the window starts`,
      changes.length ? `; purple: ${changes.map((c) => `${c.attribute} ${c.to} at ${fmtUtc(c.firstSeen)}`).join(', ')}` : '',
      '.',
    ),
  );
  if (points.length === 0) {
    box.append(h('p', {}, 'No complete minute with requests in this range.'));
    return box;
  }
  const xs = points.map((p) => Date.parse(p.at) / 1000);
  const p99 = points.map((p) => p.p99Ms);
  const errors = points.map((p) => p.errorRate);
  // Before the cursor moves, the legend shows the peak P99's minute (a static view is not a row of dashes).
  let peak = 0;
  p99.forEach((v, i) => (v > p99[peak]! ? (peak = i) : undefined));
  const windowStart = Date.parse(req.windowStartIso) / 1000;
  const markers = [
    { x: windowStart, colour: ink(), dash: [4, 4] },
    ...changes.map((c) => ({ x: Date.parse(c.firstSeen) / 1000, colour: '#8e44ad', dash: [] as number[] })),
  ];
  const width = (): number => Math.max(280, (column.clientWidth || 600) - 4);
  const plot = new uPlot(
    {
      width: width(),
      height: 200,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { pct: { range: (_u, _min, max) => [0, Math.max(0.05, max)] } },
      // Without a cursor, the legend shows the peak P99's minute (uPlot passes a null value then).
      series: [
        { value: (_u, v) => `${fmtUtc((v ?? xs[peak]!) * 1000).slice(11)}${v === null ? ' (peak)' : ''}` },
        { label: 'P99', stroke: '#c0392b', width: 2, scale: 'ms', value: (_u, v) => fmtMs(v ?? p99[peak]!) },
        { label: 'errors', stroke: '#2e86de', scale: 'pct', value: (_u, v) => fmtPct(v ?? errors[peak]!) },
      ],
      axes: [
        { stroke: ink(), values: (_u, vs) => vs.map((v) => fmtUtc(v * 1000).slice(11, 16)) },
        { scale: 'ms', size: 64, stroke: ink(), values: (_u, vs) => vs.map((v) => fmtMs(v)) },
        { scale: 'pct', side: 1, stroke: ink(), grid: { show: false }, values: (_u, vs) => vs.map((v) => `${Math.round(v * 100)}%`) },
      ],
      hooks: {
        draw: [
          (u) => {
            for (const m of markers) {
              const x = u.valToPos(m.x, 'x', true);
              if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
              u.ctx.save();
              u.ctx.strokeStyle = m.colour;
              u.ctx.lineWidth = 2;
              u.ctx.setLineDash(m.dash);
              u.ctx.beginPath();
              u.ctx.moveTo(x, u.bbox.top);
              u.ctx.lineTo(x, u.bbox.top + u.bbox.height);
              u.ctx.stroke();
              u.ctx.restore();
            }
          },
        ],
      },
    },
    [xs, p99, errors],
    box,
  );
  box.dataset.changeMarkers = String(changes.length);
  new ResizeObserver(() => plot.setSize({ width: width(), height: 200 })).observe(column);
  return box;
}
