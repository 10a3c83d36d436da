/**
 * Parses API times and validates windows. A time is ISO-8601, unix milliseconds (13 digits, or any number with an
 * `ms` suffix), unix seconds with an `s` suffix, `now`, or `now-<duration>` (`now-1h`, `now-15m`). A bare 10-digit
 * number is refused: it is unix seconds read as milliseconds (1970), a classic silent mistake.
 */
import { parseDuration } from '../config.js';
import { InputError } from '../errors.js';
import { shownValue } from '../shown-value.js';

export interface Window {
  startMs: number;
  endMs: number;
}

/** Earliest and latest instants accepted (ClickHouse DateTime64 covers 1900-2299; the rollups start at 1970). */
const MIN_MS = 0;
const MAX_MS = Date.UTC(2262, 0, 1);

export function parseTime(value: unknown, field: string, now = Date.now()): number {
  const t = parseInstant(value, field, now);
  if (!Number.isFinite(t) || t < MIN_MS || t >= MAX_MS)
    throw new InputError(`${field} must be between 1970 and 2262, got ${shownValue(value)}`);
  return t;
}

function parseInstant(value: unknown, field: string, now: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return checkMillis(Math.trunc(value), field, value);
  if (typeof value === 'string' && value.trim() !== '') {
    const v = value.trim();
    if (v === 'now') return now;
    const rel = /^now-(.+)$/.exec(v);
    if (rel) {
      const ms = parseDuration(rel[1]!);
      if (ms === undefined) throw new InputError(`${field}: ${shownValue(v)} needs a duration like now-15m, now-1h or now-7d`);
      return now - ms;
    }
    const suffixed = /^(\d{1,16})(ms|s)$/.exec(v);
    if (suffixed) return suffixed[2] === 's' ? Number(suffixed[1]) * 1000 : Number(suffixed[1]);
    if (/^\d+$/.test(v)) return checkMillis(Number(v), field, v);
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return t;
  }
  throw new InputError(
    `${field} must be an ISO-8601 time, unix milliseconds, \`<n>s\`, \`now\` or \`now-<duration>\`, got ${shownValue(value)}`,
  );
}

/** Numbers are milliseconds; one that only makes sense as seconds (before 1973) is refused with a hint. */
function checkMillis(ms: number, field: string, raw: unknown): number {
  if (ms > 0 && ms < 1e11)
    throw new InputError(`${field}=${shownValue(raw)} looks like unix seconds; send milliseconds or add an "s" suffix (${String(raw)}s)`);
  return ms;
}

/** `start`/`end` from the query string, defaulting to the last `defaultMs`; start < end and no longer than `maxMs`. */
export function windowFromQuery(query: URLSearchParams, defaultMs: number, maxMs: number, now = Date.now()): Window {
  const end = query.has('end') ? parseTime(query.get('end'), 'end', now) : now;
  const start = query.has('start') ? parseTime(query.get('start'), 'start', now) : end - defaultMs;
  return checkWindow({ startMs: start, endMs: end }, maxMs, 'start', 'end');
}

export function checkWindow(w: Window, maxMs: number, startField: string, endField: string): Window {
  if (w.startMs >= w.endMs) throw new InputError(`${startField} must be before ${endField}`);
  if (w.endMs - w.startMs > maxMs)
    throw new InputError(
      `window of ${Math.round((w.endMs - w.startMs) / 3600_000)} h exceeds the maximum of ${Math.round(maxMs / 3600_000)} h`,
    );
  return w;
}

/** Refuses query parameters a route does not know (a typo like `since=` must not silently return everything). */
export function allowParams(query: URLSearchParams, allowed: readonly string[]): void {
  for (const key of new Set(query.keys())) {
    if (!allowed.includes(key))
      throw new InputError(
        `unknown query parameter ${JSON.stringify(key)}; this endpoint takes ${allowed.length > 0 ? allowed.join(', ') : 'none'}`,
      );
  }
}

/** `environment` (a deployment environment name, or absent for all), bounded. */
export function environmentParam(query: URLSearchParams): string {
  const env = query.get('environment') ?? '';
  if (env.length > 256) throw new InputError('environment is longer than 256 characters');
  return env;
}
