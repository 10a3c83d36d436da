/** Validates an Alertmanager webhook body (version 4) and turns each alert into what an incident needs. */
import { InputError } from '../errors.js';
import { shownValue } from '../shown-value.js';
import type { AlertInfo } from './report.js';

export interface ParsedAlert {
  info: AlertInfo;
  /** The service named by the first present label of `serviceLabels`, or undefined. */
  service: string | undefined;
  startsAtMs: number;
  /** Undefined while the alert is firing (Alertmanager sends the zero time or a future resolve deadline). */
  endsAtMs: number | undefined;
  /** From the `faultline_baseline_start` / `faultline_baseline_end` annotations, when both are set. */
  baseline: { startMs: number; endMs: number } | undefined;
  operation: string | undefined;
  /** The deployment environment named by the first present of `environmentLabels`, or undefined (all). */
  environment: string | undefined;
}

/** Alert labels that name the deployment environment, first present wins. */
export const DEFAULT_ENVIRONMENT_LABELS = [
  'environment',
  'env',
  'deployment_environment',
  'deployment_environment_name',
  'deployment.environment.name',
];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ParsedPayload {
  alerts: ParsedAlert[];
  /** Alerts that could not be read, with why: reported back as skipped, while the valid ones are taken. */
  invalid: { index: number; fingerprint: string; reason: string }[];
  /** Alerts Alertmanager left out of this call (`truncatedAlerts`, when max_alerts is set on the receiver). */
  truncated: number;
}

/**
 * A body that is not a webhook payload at all is an InputError (400: no retry can help). Inside a valid payload,
 * a malformed alert does not fail the call: Alertmanager drops a whole batch on a 4xx, which would lose the valid
 * alerts with it.
 */
export function parseAlertmanagerPayload(
  body: unknown,
  serviceLabels: string[],
  now = Date.now(),
  environmentLabels: readonly string[] = DEFAULT_ENVIRONMENT_LABELS,
): ParsedPayload {
  if (!isObj(body)) throw new InputError('body must be an Alertmanager webhook JSON object');
  if (body.version !== undefined && body.version !== '4')
    throw new InputError(`unsupported webhook version ${shownValue(body.version)} (expected "4")`);
  if (!Array.isArray(body.alerts)) throw new InputError('alerts must be an array');
  const alerts: ParsedAlert[] = [];
  const invalid: ParsedPayload['invalid'] = [];
  body.alerts.forEach((raw, i) => {
    try {
      alerts.push(parseAlert(raw, i, serviceLabels, now, environmentLabels));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      const fingerprint = isObj(raw) && typeof raw.fingerprint === 'string' ? raw.fingerprint.slice(0, 64) : '';
      invalid.push({ index: i, fingerprint, reason: err.message });
    }
  });
  const truncated =
    typeof body.truncatedAlerts === 'number' && Number.isFinite(body.truncatedAlerts) && body.truncatedAlerts > 0
      ? Math.floor(body.truncatedAlerts)
      : 0;
  return { alerts, invalid, truncated };
}

function parseAlert(raw: unknown, i: number, serviceLabels: string[], now: number, environmentLabels: readonly string[]): ParsedAlert {
  const where = `alerts[${i}]`;
  if (!isObj(raw)) throw new InputError(`${where} must be an object`);
  const status = raw.status;
  if (status !== 'firing' && status !== 'resolved') throw new InputError(`${where}.status must be "firing" or "resolved"`);
  const labels = stringMap(raw.labels, `${where}.labels`);
  const annotations = raw.annotations === undefined ? {} : stringMap(raw.annotations, `${where}.annotations`);
  const startsAtMs = time(raw.startsAt, `${where}.startsAt`);
  const endsRaw =
    raw.endsAt === undefined || raw.endsAt === null || raw.endsAt === '' ? undefined : time(raw.endsAt, `${where}.endsAt`, true);
  // Zero time (0001-01-01) or a deadline in the future means "still firing".
  const endsAtMs = endsRaw !== undefined && endsRaw > 0 && (status === 'resolved' || endsRaw <= now) ? endsRaw : undefined;
  if (typeof raw.fingerprint === 'string' && raw.fingerprint.length > MAX_NAME_CHARS)
    throw new InputError(`${where}.fingerprint is longer than ${MAX_NAME_CHARS} characters`);
  const fingerprint = typeof raw.fingerprint === 'string' && raw.fingerprint !== '' ? wellFormed(raw.fingerprint) : fingerprintOf(labels);
  const service = serviceLabels.map((l) => labels[l]).find((v) => v !== undefined && v !== '');
  const environment = environmentLabels.map((l) => labels[l]).find((v) => v !== undefined && v !== '');
  // A service or environment name that long names nothing that sends spans; cut, it would name something else.
  for (const [what, v] of [
    ['service', service],
    ['environment', environment],
  ] as const)
    if (v !== undefined && v.length > MAX_NAME_CHARS)
      throw new InputError(`${where}: the ${what} label is longer than ${MAX_NAME_CHARS} characters`);
  const bs = annotations.faultline_baseline_start;
  const be = annotations.faultline_baseline_end;
  const baseline =
    bs && be
      ? {
          startMs: time(bs, `${where}.annotations.faultline_baseline_start`),
          endMs: time(be, `${where}.annotations.faultline_baseline_end`),
        }
      : undefined;
  if (baseline && baseline.startMs >= baseline.endMs)
    throw new InputError(`${where}.annotations.faultline_baseline_start must be before faultline_baseline_end`);
  return {
    info: {
      fingerprint,
      alertname: labels.alertname ?? '',
      status,
      startsAt: new Date(startsAtMs).toISOString(),
      endsAt: endsAtMs === undefined ? null : new Date(endsAtMs).toISOString(),
      labels,
      annotations,
      ...(typeof raw.generatorURL === 'string' ? { generatorURL: raw.generatorURL } : {}),
    },
    service,
    startsAtMs,
    endsAtMs,
    baseline,
    operation: labels.operation ?? labels.span_name ?? annotations.faultline_operation,
    environment,
  };
}

/** Fingerprints, service and environment names: longer is not a name. */
const MAX_NAME_CHARS = 256;
/** Other label and annotation values are kept up to this many characters (then cut with a marker). */
const MAX_VALUE_CHARS = 4096;
const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 12)}…[truncated]` : s);

function stringMap(v: unknown, where: string): Record<string, string> {
  if (!isObj(v)) throw new InputError(`${where} must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') throw new InputError(`${where}.${k} must be a string`);
    // Lone surrogates are not text: the store refuses them, so they become U+FFFD here.
    out[cut(wellFormed(k), MAX_NAME_CHARS)] = cut(wellFormed(val), MAX_VALUE_CHARS);
  }
  return out;
}

/** The string with lone surrogates replaced by U+FFFD (String#toWellFormed, Node 20+; typed here for ES2022 libs). */
const wellFormed = (s: string): string => (s as unknown as { toWellFormed(): string }).toWellFormed();

/** Alertmanager's zero time (0001-01-01) is allowed for endsAt only; anything else must be a real instant. */
const MAX_MS = Date.UTC(2262, 0, 1);

function time(v: unknown, where: string, zeroAllowed = false): number {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw new InputError(`${where} must be an RFC 3339 time, got ${shownValue(v)}`);
  if (t >= MAX_MS || (t < 0 && !(zeroAllowed && typeof v === 'string' && v.startsWith('0001-01-01'))))
    throw new InputError(`${where} must be between 1970 and 2262, got ${shownValue(v)}`);
  return t;
}

/** Alertmanager always sends a fingerprint; for hand-made payloads, derive a stable one from the labels. */
function fingerprintOf(labels: Record<string, string>): string {
  const text = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
  let h = 0xcbf29ce484222325n;
  for (const ch of Buffer.from(text)) h = BigInt.asUintN(64, (h ^ BigInt(ch)) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}
