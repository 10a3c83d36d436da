/** A per-minute P99 (and error rate) chart of one service across baseline and window, drawn with uPlot. */
import uPlot from 'uplot';
import { api } from './api-client.js';
import { h } from './dom.js';

interface Series {
  points: { at: string; requests: number; errorRate: number; p99Ms: number }[];
}

export async function latencyChart(service: string, startIso: string, endIso: string, windowStartIso: string): Promise<HTMLElement> {
  const s = await api<Series>(
    `/api/v1/services/${encodeURIComponent(service)}/series?start=${encodeURIComponent(startIso)}&end=${encodeURIComponent(endIso)}`,
  );
  const box = h(
    'figure',
    { class: 'chart', 'data-service': service },
    h('figcaption', {}, `${service}: P99 (ms) and error rate per minute; the window starts at the marker`),
  );
  const xs = s.points.map((p) => Date.parse(p.at) / 1000);
  const marker = Date.parse(windowStartIso) / 1000;
  const plot = new uPlot(
    {
      width: 560,
      scales: { pct: { range: (_u, _min, max) => [0, Math.max(0.05, max)] } },
      height: 180,
      series: [
        {},
        { label: 'P99 ms', stroke: '#c0392b', scale: 'ms' },
        { label: 'errors', stroke: '#7f8c8d', scale: 'pct', value: (_u, v) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`) },
      ],
      axes: [
        {},
        { scale: 'ms', size: 64 },
        { scale: 'pct', side: 1, grid: { show: false }, values: (_u, vs) => vs.map((v) => `${Math.round(v * 100)}%`) },
      ],
      hooks: {
        draw: [
          (u) => {
            const x = u.valToPos(marker, 'x', true);
            u.ctx.save();
            u.ctx.strokeStyle = '#2c3e50';
            u.ctx.setLineDash([4, 4]);
            u.ctx.beginPath();
            u.ctx.moveTo(x, u.bbox.top);
            u.ctx.lineTo(x, u.bbox.top + u.bbox.height);
            u.ctx.stroke();
            u.ctx.restore();
          },
        ],
      },
    },
    [xs, s.points.map((p) => p.p99Ms), s.points.map((p) => p.errorRate)],
    box,
  );
  void plot;
  return box;
}
