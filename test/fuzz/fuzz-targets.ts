/**
 * A mutation fuzzer for what faultline reads from the network: OTLP protobuf and OTLP/JSON export bodies, and
 * Alertmanager webhook bodies. Valid seeds (from the simulator and the webhook helper) are mutated at the byte level
 * (bit flips, interesting bytes, cuts, repeats, splices) and, for JSON, at the value level (a random node replaced by
 * a hostile value: deep nesting, huge numbers, lone surrogates, wrong types). An input passes when the target either
 * accepts it or refuses it with an input error (4xx); anything else thrown is a crash, and an input that takes more
 * than `slowMs` is reported as a hang. Seeded, so a failure reproduces.
 */
import { encodeSpanColumns } from '../../src/store/span-columns.js';
import { applyTimePolicy } from '../../src/otlp/export-handler.js';
import { decodeExportRequestJson } from '../../src/otlp/decode-json.js';
import { decodeExportRequestProto } from '../../src/otlp/decode-protobuf.js';
import { parseAlertmanagerPayload } from '../../src/rca/alertmanager-payload.js';
import { asFaultlineError } from '../../src/errors.js';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import { encodeJson, encodeProto } from '../sim/otlp-encode.js';
import { Random } from '../sim/random.js';
import { simulate } from '../sim/simulate.js';
import { marketplace, shop } from '../sim/topology.js';

export interface FuzzTarget {
  name: string;
  seeds: Buffer[];
  json: boolean;
  run(input: Buffer): void;
}

export interface FuzzFinding {
  target: string;
  kind: 'crash' | 'hang';
  detail: string;
  input: string;
}

const POLICY = { maxAgeMs: 7 * 86_400_000, maxFutureMs: 86_400_000 };

/** Runs like a receiver would, through decode, the time policy and the column encoding of the accepted spans. */
function otlp(decode: (b: Buffer) => ReturnType<typeof decodeExportRequestProto>) {
  return (input: Buffer) => {
    const decoded = decode(input);
    applyTimePolicy(decoded, POLICY, Date.now());
    encodeSpanColumns(decoded.spans);
  };
}

export function fuzzTargets(): FuzzTarget[] {
  const now = Date.now();
  const spanSets = [
    simulate(shop, { seed: 1, startMs: now - 60_000, durationMs: 10_000, requests: 2 }).spans,
    simulate(marketplace, { seed: 2, startMs: now - 60_000, durationMs: 10_000, requests: 1, environment: 'prod' }).spans,
  ];
  const webhook = (n: number) =>
    Buffer.from(
      JSON.stringify(
        alertmanagerWebhook(
          Array.from({ length: n }, (_, i) => ({
            service: `svc${i}`,
            startsAt: new Date(now - i * 60_000),
            annotations: {
              faultline_baseline_start: new Date(now - 7200_000).toISOString(),
              faultline_baseline_end: new Date(now - 3600_000).toISOString(),
            },
          })),
        ),
      ),
    );
  return [
    { name: 'otlp-protobuf', seeds: spanSets.map(encodeProto), json: false, run: otlp(decodeExportRequestProto) },
    { name: 'otlp-json', seeds: spanSets.map(encodeJson), json: true, run: otlp(decodeExportRequestJson) },
    {
      name: 'alertmanager-webhook',
      seeds: [webhook(1), webhook(3)],
      json: true,
      run: (input) => {
        let body: unknown;
        try {
          body = JSON.parse(input.toString('utf8'));
        } catch {
          return; // the API answers 400 for malformed JSON (json-body.ts)
        }
        parseAlertmanagerPayload(body, ['service', 'service_name', 'job'], now);
      },
    },
  ];
}

const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x01, 0x0a, 0x12, 0x22, 0x2a, 0x3a, 0x42, 0x4a];

/** One byte-level mutation of `b` (a fresh buffer). */
function mutateBytes(rnd: Random, b: Buffer, seeds: Buffer[]): Buffer {
  const out = Buffer.from(b);
  const at = () => rnd.int(Math.max(1, out.length));
  switch (rnd.int(8)) {
    case 0:
      if (out.length > 0) out[at()]! ^= 1 << rnd.int(8);
      return out;
    case 1:
      if (out.length > 0) out[at()] = INTERESTING[rnd.int(INTERESTING.length)]!;
      return out;
    case 2:
      return out.subarray(0, at());
    case 3: {
      const s = at();
      return Buffer.concat([out.subarray(0, s), out.subarray(Math.min(out.length, s + 1 + rnd.int(64)))]);
    }
    case 4: {
      const s = at();
      const e = Math.min(out.length, s + 1 + rnd.int(256));
      const piece = out.subarray(s, e);
      return Buffer.concat([out.subarray(0, e), ...Array.from({ length: 1 + rnd.int(8) }, () => piece), out.subarray(e)]);
    }
    case 5: {
      const other = seeds[rnd.int(seeds.length)]!;
      return Buffer.concat([out.subarray(0, at()), other.subarray(rnd.int(Math.max(1, other.length)))]);
    }
    case 6: {
      const s = at();
      return Buffer.concat([out.subarray(0, s), Buffer.from(Array.from({ length: 1 + rnd.int(16) }, () => rnd.int(256))), out.subarray(s)]);
    }
    default: {
      // A varint at its limits (10 bytes of 0xff, or a huge length prefix).
      const s = at();
      return Buffer.concat([
        out.subarray(0, s),
        Buffer.from(rnd.chance(0.5) ? [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01] : [0xff, 0xff, 0xff, 0xff, 0x0f]),
        out.subarray(s),
      ]);
    }
  }
}

function hostileValue(rnd: Random): unknown {
  switch (rnd.int(12)) {
    case 0:
      // Deep nesting is spliced in as text after stringify (JSON.stringify itself recurses).
      return `__DEEP_${1 + rnd.int(6000)}_${rnd.int(2)}__`;
    case 1:
      return '\ud800';
    case 2:
      return 1e308 * (rnd.chance(0.5) ? 10 : 1);
    case 3:
      return -1;
    case 4:
      return '99999999999999999999999999';
    case 5:
      return null;
    case 6:
      return {};
    case 7:
      return [];
    case 8:
      return 'x'.repeat(rnd.int(100_000));
    case 9:
      return '-271821-04-20T00:00:00Z';
    case 10:
      return rnd.hex(rnd.int(40));
    default:
      return true;
  }
}

/** One value-level mutation of a JSON document: a random node replaced, removed or duplicated. */
function mutateJson(rnd: Random, b: Buffer): Buffer {
  let doc: unknown;
  try {
    doc = JSON.parse(b.toString('utf8'));
  } catch {
    return b;
  }
  const containers: (Record<string, unknown> | unknown[])[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 40 || v === null || typeof v !== 'object') return;
    containers.push(v as Record<string, unknown>);
    for (const c of Object.values(v)) walk(c, depth + 1);
  };
  walk(doc, 0);
  const target = containers[rnd.int(containers.length)];
  if (target) {
    const keys = Object.keys(target);
    const key = keys[rnd.int(Math.max(1, keys.length))] ?? 'extra';
    const t = target as Record<string, unknown>;
    if (rnd.chance(0.15)) delete t[key];
    else t[key] = hostileValue(rnd);
  }
  let plain: string;
  try {
    plain = JSON.stringify(doc) ?? 'null';
  } catch {
    return b; // a document already nested too deep to write back: mutate its bytes instead
  }
  const text = plain.replace(/"__DEEP_(\d+)_(\d)__"/g, (_m, n: string, form: string) => deepJson(Number(n), form === '0'));
  return Buffer.from(text);
}

/** `n` levels of nesting as JSON text: plain arrays, or OTLP arrayValue wrappers. */
function deepJson(n: number, plain: boolean): string {
  const [open, close] = plain ? ['[', ']'] : ['{"arrayValue":{"values":[', ']}}'];
  return open.repeat(n) + '"x"' + close.repeat(n);
}

/** Runs `count` mutated inputs against every target; returns what crashed or hung (at most 20). */
export function fuzz(
  count: number,
  seed: number,
  slowMs = 2000,
  onProgress?: (done: number) => void,
): { inputs: number; findings: FuzzFinding[] } {
  const rnd = new Random(seed);
  const targets = fuzzTargets();
  const findings: FuzzFinding[] = [];
  let done = 0;
  for (let i = 0; i < count && findings.length < 20; i++) {
    const t = targets[i % targets.length]!;
    let input = t.seeds[rnd.int(t.seeds.length)]!;
    for (let m = 0, n = 1 + rnd.int(4); m < n; m++)
      input = t.json && rnd.chance(0.5) ? mutateJson(rnd, input) : mutateBytes(rnd, input, t.seeds);
    const started = performance.now();
    try {
      t.run(input);
    } catch (err) {
      const fe = asFaultlineError(err);
      if (!fe || fe.httpStatus >= 500)
        findings.push({
          target: t.name,
          kind: 'crash',
          detail: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
          input: input.subarray(0, 512).toString('base64'),
        });
    }
    const ms = performance.now() - started;
    if (ms > slowMs)
      findings.push({
        target: t.name,
        kind: 'hang',
        detail: `${ms.toFixed(0)} ms for ${input.length} bytes`,
        input: input.subarray(0, 512).toString('base64'),
      });
    done++;
    if (onProgress && done % 50_000 === 0) onProgress(done);
  }
  return { inputs: done, findings };
}
