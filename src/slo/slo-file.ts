/**
 * The SLO file (FAULTLINE_SLO_FILE): SLO definitions modelled on OpenSLO and Sloth, and the guarded actions an
 * analysis may trigger (docs/slo.md). Parsing is strict: one line names the file, the SLO and the field that is wrong.
 */
import { load as loadYaml } from 'js-yaml';
import { parseDuration } from '../setting-kinds.js';
import { gridBucketOf, nearestGridValuesMs } from '../store/latency-grid.js';

export type SliSpec = { type: 'availability' } | { type: 'latency'; thresholdMs: number; bucketId: number };

export interface SloDefinition {
  name: string;
  service: string;
  /** Only spans of this operation (span name); otherwise the service's server and consumer spans. */
  operation?: string;
  environment?: string;
  /** Percent, e.g. 99.95. */
  objective: number;
  sli: SliSpec;
  windowMs: number;
  labels: Record<string, string>;
}

export interface ActionSpec {
  url: string;
  /** Least confidence of the named origin (0..1). */
  minConfidence: number;
  /** Act only when the origin has a version change in the window. */
  requireVersionChange: boolean;
  /** Record what would be sent, never send it (the default). */
  dryRun: boolean;
  /** The SLOs whose burn-rate incidents this action follows; empty: every SLO of the file. */
  slos: string[];
}

export interface SloFile {
  slos: SloDefinition[];
  actions: ActionSpec[];
}

export class SloFileError extends Error {}

export const DEFAULT_SLO_WINDOW_MS = 28 * 86_400_000;
const MAX_SLO_FILE_BYTES = 1024 * 1024;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,99}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses the file's text; `source` (its path) starts every error message. */
export function parseSloFile(text: string, source: string): SloFile {
  const fail = (where: string, msg: string): never => {
    throw new SloFileError(`${source}: ${where}${where ? ' ' : ''}${msg}`);
  };
  if (Buffer.byteLength(text) > MAX_SLO_FILE_BYTES) fail('', `is larger than ${MAX_SLO_FILE_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = loadYaml(text, { filename: source });
  } catch (err) {
    fail('', `is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isObj(doc)) return fail('', 'must be a mapping with `slos:` (a list)');
  unknownKeys(doc, ['slos', 'actions'], '', fail);
  if (!Array.isArray(doc.slos)) return fail('', '`slos` must be a list');
  const slos = doc.slos.map((raw, i) => parseSlo(raw, i, fail));
  const names = new Set<string>();
  for (const [i, slo] of slos.entries()) {
    if (names.has(slo.name)) fail(`slos[${i}] (${slo.name}):`, 'name is used by an earlier SLO');
    names.add(slo.name);
  }
  if (doc.actions !== undefined && !Array.isArray(doc.actions)) fail('', '`actions` must be a list');
  const actions = ((doc.actions as unknown[] | undefined) ?? []).map((raw, i) => parseAction(raw, i, names, fail));
  return { slos, actions };
}

type Fail = (where: string, msg: string) => never;

function unknownKeys(o: Obj, allowed: string[], where: string, fail: Fail): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(where, `has unknown field \`${k}\` (allowed: ${allowed.join(', ')})`);
}

function parseSlo(raw: unknown, i: number, fail: Fail): SloDefinition {
  let where = `slos[${i}]`;
  if (!isObj(raw)) return fail(where, 'must be a mapping');
  if (typeof raw.name === 'string' && raw.name !== '') where += ` (${raw.name})`;
  where += ':';
  unknownKeys(raw, ['name', 'service', 'operation', 'environment', 'objective', 'sli', 'window', 'labels', 'description'], where, fail);
  if (typeof raw.name !== 'string' || !NAME.test(raw.name))
    fail(where, 'name must be 1-100 letters, digits, _ . : - (starting with a letter or digit)');
  const str = (field: string, required: boolean): string | undefined => {
    const v = raw[field];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v === '' || v.length > 256)
      return fail(where, `${field} must be a non-empty string of at most 256 characters`);
    return v;
  };
  const objective = raw.objective;
  if (typeof objective !== 'number' || !(objective > 0 && objective < 100))
    fail(where, 'objective must be a percentage above 0 and below 100 (e.g. 99.9)');
  const windowMs = raw.window === undefined ? DEFAULT_SLO_WINDOW_MS : parseDuration(String(raw.window));
  if (windowMs === undefined || windowMs < 3600_000 || windowMs > 90 * 86_400_000 || windowMs % 60_000 !== 0)
    fail(where, 'window must be a duration from 1h to 90d in whole minutes (e.g. 28d, 7d, 12h)');
  const labels: Record<string, string> = {};
  if (raw.labels !== undefined) {
    if (!isObj(raw.labels)) fail(where, 'labels must be a mapping of label names to strings');
    for (const [k, v] of Object.entries(raw.labels as Obj)) {
      if (!LABEL_NAME.test(k) || typeof v !== 'string' || v.length > 256)
        fail(where, `labels.${k} must be a Prometheus label name with a string value`);
      labels[k] = v as string;
    }
  }
  const operation = str('operation', false);
  const environment = str('environment', false);
  return {
    name: raw.name as string,
    service: str('service', true)!,
    ...(operation !== undefined ? { operation } : {}),
    ...(environment !== undefined ? { environment } : {}),
    objective: objective as number,
    sli: parseSli(raw.sli, where, fail),
    windowMs: windowMs!,
    labels,
  };
}

function parseSli(raw: unknown, where: string, fail: Fail): SliSpec {
  if (!isObj(raw)) return fail(where, 'sli must be a mapping: { type: availability } or { type: latency, thresholdMs: 800 }');
  if (raw.type === 'availability') {
    unknownKeys(raw, ['type'], `${where} sli`, fail);
    return { type: 'availability' };
  }
  if (raw.type !== 'latency') return fail(where, 'sli.type must be availability or latency');
  unknownKeys(raw, ['type', 'thresholdMs'], `${where} sli`, fail);
  const t = raw.thresholdMs;
  if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0)
    return fail(where, 'sli.thresholdMs must be a positive number of milliseconds');
  const bucketId = gridBucketOf(t);
  if (bucketId === undefined)
    fail(
      where,
      `sli.thresholdMs ${t} is not on the latency grid (two significant digits, 0.1 ms to 990000 ms): use ${nearestGridValuesMs(t).join(' or ')}`,
    );
  return { type: 'latency', thresholdMs: t, bucketId: bucketId! };
}

function parseAction(raw: unknown, i: number, slos: Set<string>, fail: Fail): ActionSpec {
  const where = `actions[${i}]:`;
  if (!isObj(raw)) return fail(where, 'must be a mapping');
  unknownKeys(raw, ['url', 'minConfidence', 'requireVersionChange', 'dryRun', 'slos'], where, fail);
  let url: URL | undefined;
  try {
    url = new URL(String(raw.url));
  } catch {
    /* reported below */
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) fail(where, 'url must be an http(s) URL');
  const minConfidence = raw.minConfidence ?? 0.9;
  if (typeof minConfidence !== 'number' || minConfidence < 0.5 || minConfidence > 1)
    fail(where, 'minConfidence must be a number from 0.5 to 1');
  for (const flag of ['requireVersionChange', 'dryRun'])
    if (raw[flag] !== undefined && typeof raw[flag] !== 'boolean') fail(where, `${flag} must be true or false`);
  const names = raw.slos ?? [];
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || !slos.has(n)))
    fail(where, 'slos must be a list of SLO names defined in this file');
  return {
    url: url!.toString(),
    minConfidence: minConfidence as number,
    requireVersionChange: raw.requireVersionChange === true,
    dryRun: raw.dryRun !== false,
    slos: names as string[],
  };
}
