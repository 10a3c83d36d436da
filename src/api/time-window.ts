/** Parses API times (ISO-8601 or unix milliseconds) and validates windows. */
import { InputError } from '../errors.js';

export interface Window {
  startMs: number;
  endMs: number;
}

export function parseTime(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const v = value.trim();
    if (/^\d{10,16}$/.test(v)) return Number(v);
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return t;
  }
  throw new InputError(`${field} must be an ISO-8601 time or unix milliseconds, got ${JSON.stringify(value)}`);
}

/** `start`/`end` from the query string, defaulting to the last `defaultMs`; start < end and no longer than `maxMs`. */
export function windowFromQuery(query: URLSearchParams, defaultMs: number, maxMs: number, now = Date.now()): Window {
  const end = query.has('end') ? parseTime(query.get('end'), 'end') : now;
  const start = query.has('start') ? parseTime(query.get('start'), 'start') : end - defaultMs;
  return checkWindow({ startMs: start, endMs: end }, maxMs, 'start', 'end');
}

export function checkWindow(w: Window, maxMs: number, startField: string, endField: string): Window {
  if (w.startMs >= w.endMs) throw new InputError(`${startField} must be before ${endField}`);
  if (w.endMs - w.startMs > maxMs) throw new InputError(`window of ${Math.round((w.endMs - w.startMs) / 3600_000)} h exceeds the maximum of ${Math.round(maxMs / 3600_000)} h`);
  return w;
}

export const toIso = (ms: number): string => new Date(ms).toISOString();
