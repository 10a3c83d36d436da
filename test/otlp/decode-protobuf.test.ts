import { describe, expect, it } from 'vitest';
import { decodeExportRequestProto } from '../../src/otlp/decode-protobuf.js';
import { bytesField, varintField } from '../../src/otlp/proto-writer.js';
import type { Span } from '../../src/span.js';
import { loadOtlpRoot, referenceDecode } from '../helpers/reference-decoder.js';
import { Random } from '../sim/random.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';
import { encodeProto } from '../sim/otlp-encode.js';

const root = loadOtlpRoot();
const Req = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');

function comparable(s: Span) {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    name: s.name,
    kind: s.kind,
    startNs: s.startNs.toString(),
    endNs: s.endNs.toString(),
    statusCode: s.statusCode,
    statusMessage: s.statusMessage,
    serviceName: s.serviceName,
    scopeName: s.scopeName,
    attributes: s.attributes,
    resource: s.resource,
    ...(s.events ? { events: s.events.map((e) => ({ ...e, timeNs: e.timeNs.toString() })) } : {}),
    ...(s.links ? { links: s.links } : {}),
  };
}

/** A random AnyValue as protobufjs JSON-ish input, nested up to `depth`. */
function randomAnyValue(rnd: Random, depth: number): Record<string, unknown> {
  switch (rnd.int(depth > 0 ? 7 : 5)) {
    case 0:
      return { stringValue: rnd.chance(0.3) ? 'ünïcødé ✓ "q" \\ \n' : rnd.hex(rnd.int(6)) };
    case 1:
      return { boolValue: rnd.chance(0.5) };
    case 2:
      return { intValue: rnd.chance(0.5) ? String(-rnd.int(1e9)) : '9007199254740993' };
    case 3:
      return { doubleValue: rnd.next() * 1e6 - 5e5 };
    case 4:
      return { bytesValue: Buffer.from(rnd.hex(4), 'hex') };
    case 5:
      return { arrayValue: { values: [randomAnyValue(rnd, depth - 1), randomAnyValue(rnd, depth - 1)] } };
    default:
      return { kvlistValue: { values: [{ key: 'k', value: randomAnyValue(rnd, depth - 1) }] } };
  }
}

function randomRequest(rnd: Random): Buffer {
  const resourceSpans = Array.from({ length: 1 + rnd.int(3) }, (_, r) => ({
    resource: {
      attributes: rnd.chance(0.8)
        ? [
            { key: 'service.name', value: { stringValue: `svc-${r}` } },
            { key: 'host', value: randomAnyValue(rnd, 2) },
          ]
        : [],
    },
    scopeSpans: Array.from({ length: 1 + rnd.int(2) }, () => ({
      scope: { name: `scope-${rnd.int(5)}`, version: '1.0' },
      spans: Array.from({ length: rnd.int(6) }, () => {
        const start = BigInt(1_700_000_000_000_000_000) + BigInt(rnd.int(1e9));
        return {
          traceId: Buffer.from(rnd.hex(rnd.chance(0.95) ? 16 : 8), 'hex'),
          spanId: Buffer.from(rnd.hex(8), 'hex'),
          parentSpanId: rnd.chance(0.5) ? Buffer.from(rnd.hex(8), 'hex') : rnd.chance(0.3) ? Buffer.alloc(8) : Buffer.alloc(0),
          name: rnd.chance(0.9) ? `op ${rnd.int(100)}` : '',
          kind: rnd.int(6),
          startTimeUnixNano: start.toString(),
          endTimeUnixNano: (rnd.chance(0.95) ? start + BigInt(rnd.int(1e9)) : start - 1n).toString(),
          attributes: Array.from({ length: rnd.int(4) }, (_, i) => ({ key: `a${i}`, value: randomAnyValue(rnd, 2) })),
          status: rnd.chance(0.5) ? { code: rnd.int(3), message: rnd.chance(0.5) ? 'boom' : '' } : undefined,
          events: rnd.chance(0.3)
            ? Array.from({ length: 1 + rnd.int(3) }, (_, i) => ({
                timeUnixNano: (start + BigInt(i)).toString(),
                name: rnd.chance(0.8) ? 'exception' : '',
                attributes: [{ key: 'exception.message', value: randomAnyValue(rnd, 1) }],
              }))
            : [],
          links: rnd.chance(0.2)
            ? [
                {
                  traceId: Buffer.from(rnd.hex(16), 'hex'),
                  spanId: Buffer.from(rnd.hex(8), 'hex'),
                  traceState: rnd.chance(0.5) ? 'k=v' : '',
                  attributes: [{ key: 'link.kind', value: randomAnyValue(rnd, 1) }],
                },
              ]
            : [],
          flags: 1,
        };
      }),
    })),
  }));
  return Buffer.from(Req.encode(Req.fromObject({ resourceSpans })).finish());
}

describe('decodeExportRequestProto', () => {
  it('matches the protobufjs reference decode on 300 generated requests', () => {
    const rnd = new Random(42);
    let valid = 0;
    let rejected = 0;
    for (let i = 0; i < 300; i++) {
      const buf = randomRequest(rnd);
      const ref = referenceDecode(root, buf);
      const ours = decodeExportRequestProto(buf);
      const refValid = ref.filter((s) => s.traceId.length === 32 && BigInt(s.endNs) >= BigInt(s.startNs));
      expect(ours.spans.map(comparable)).toEqual(refValid);
      expect(ours.rejected).toBe(ref.length - refValid.length);
      valid += ours.spans.length;
      rejected += ours.rejected;
    }
    expect(valid).toBeGreaterThan(500);
    expect(rejected).toBeGreaterThan(10);
  });

  it('decodes what the official otlp-transformer serializer writes', () => {
    const sim = simulate(ciPipeline, { seed: 7, startMs: Date.UTC(2026, 0, 1), durationMs: 60_000, requests: 20 });
    const buf = encodeProto(sim.spans);
    const ours = decodeExportRequestProto(buf);
    expect(ours.rejected).toBe(0);
    const key = (s: Span) => s.spanId;
    expect(ours.spans.map(comparable).sort((a, b) => a.spanId.localeCompare(b.spanId))).toEqual(
      sim.spans.map(comparable).sort((a, b) => a.spanId.localeCompare(b.spanId)),
    );
    expect(new Set(ours.spans.map(key)).size).toBe(sim.spans.length);
  });

  it('reads a resource that comes after its scope_spans, and skips unknown fields', () => {
    const span = Buffer.concat([
      bytesField(1, Buffer.alloc(16, 1)),
      bytesField(2, Buffer.alloc(8, 2)),
      bytesField(5, 'late'),
      varintField(99, 5), // unknown field
      Buffer.from([(7 << 3) | 1, ...Buffer.from(new BigUint64Array([10n]).buffer)]),
      Buffer.from([(8 << 3) | 1, ...Buffer.from(new BigUint64Array([25n]).buffer)]),
    ]);
    const scopeSpans = bytesField(2, span);
    const resource = bytesField(1, bytesField(1, Buffer.concat([bytesField(1, 'service.name'), bytesField(2, bytesField(1, 'late-svc'))])));
    const req = bytesField(1, Buffer.concat([bytesField(2, scopeSpans), resource]));
    const out = decodeExportRequestProto(req);
    expect(out.spans).toHaveLength(1);
    expect(out.spans[0]!.serviceName).toBe('late-svc');
    expect(out.spans[0]!.durationNs).toBe(15);
    expect(out.spans[0]!.name).toBe('late');
  });

  it('names unknown_service when service.name is missing, and explains rejections', () => {
    const span = (traceIdLen: number) =>
      bytesField(
        2,
        Buffer.concat([
          bytesField(1, Buffer.alloc(traceIdLen, 1)),
          bytesField(2, Buffer.alloc(8, 2)),
          bytesField(5, 'x'),
          Buffer.from([(7 << 3) | 1, 1, 0, 0, 0, 0, 0, 0, 0]),
          Buffer.from([(8 << 3) | 1, 2, 0, 0, 0, 0, 0, 0, 0]),
        ]),
      );
    const req = bytesField(1, bytesField(2, Buffer.concat([span(16), span(4)])));
    const out = decodeExportRequestProto(req);
    expect(out.spans.map((s) => s.serviceName)).toEqual(['unknown_service']);
    expect(out.rejected).toBe(1);
    expect(out.errorMessage).toContain('trace_id must be 16 bytes, got 4');
  });

  it('throws a clear error on truncated input', () => {
    const buf = encodeProto(simulate(ciPipeline, { seed: 1, startMs: 0, durationMs: 1000, requests: 1 }).spans);
    expect(() => decodeExportRequestProto(buf.subarray(0, buf.length - 3))).toThrow(/malformed protobuf/);
  });
});
