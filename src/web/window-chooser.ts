/** The window (and environment) form of the map and services pages: last 15 min to 24 h. */
import { h } from './dom.js';

const WINDOWS = ['now-15m', 'now-1h', 'now-6h', 'now-24h'];

/** Seconds a `now-<n><unit>` window covers (for rates). */
export function windowSeconds(start: string): number {
  const m = /^now-(\d+)([smhd])$/.exec(start);
  if (!m) return 900;
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

export function windowChooser(action: string, start: string, environment?: string): HTMLElement {
  return h(
    'form',
    { class: 'filters', method: 'get', action },
    h('label', { for: 'f-start' }, 'Window'),
    h(
      'select',
      { id: 'f-start', name: 'start' },
      ...[...new Set([...WINDOWS, start])].map((w) => h('option', { value: w, selected: w === start }, w.replace('now-', 'last '))),
    ),
    environment !== undefined ? h('label', { for: 'f-env' }, 'Environment') : null,
    environment !== undefined ? h('input', { id: 'f-env', name: 'environment', value: environment, placeholder: 'all', size: 10 }) : null,
    h('button', { type: 'submit' }, 'Show'),
  );
}
