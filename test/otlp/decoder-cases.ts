/**
 * One set of export requests for both decoders (issue 16): each case is written once, encoded as OTLP/protobuf (by
 * protobufjs over proto/) and as OTLP/JSON (by the spec's JSON mapping: hex ids, 64-bit integers as strings), and
 * both decoders must return the same spans and reject the same spans for the same reasons.
 */

export interface AnyValueCase {
  string?: string;
  bool?: boolean;
  int?: string;
  double?: number;
  bytes?: Buffer;
  array?: AnyValueCase[];
  kvlist?: Record<string, AnyValueCase>;
}

export interface SpanCase {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  start?: bigint;
  end?: bigint;
  attributes?: Record<string, AnyValueCase>;
  status?: { code?: number; message?: string };
  events?: { time: bigint; name: string; attributes?: Record<string, AnyValueCase> }[];
  links?: { traceId: string; spanId: string; traceState?: string; attributes?: Record<string, AnyValueCase> }[];
}

export interface RequestCase {
  name: string;
  resources: { attributes?: Record<string, AnyValueCase>; scopes: { name?: string; version?: string; spans: SpanCase[] }[] }[];
  /** Spans kept, rejected, and what each rejection says (reasons, in order). */
  expect: { kept: number; rejectedReasons: RegExp[] };
}

const T0 = 1_760_000_000_000_000_000n;
const id = (n: number, bytes: number): string => n.toString(16).padStart(bytes * 2, '0');
const span = (n: number, extra: SpanCase = {}): SpanCase => ({
  traceId: id(0xabc, 16),
  spanId: id(n, 8),
  name: `op ${n}`,
  kind: 2,
  start: T0 + BigInt(n) * 1000n,
  end: T0 + BigInt(n) * 1000n + 500_000n,
  ...extra,
});
const one = (
  name: string,
  spans: SpanCase[],
  kept: number,
  rejectedReasons: RegExp[] = [],
  attributes: Record<string, AnyValueCase> = { 'service.name': { string: 'svc' } },
): RequestCase => ({
  name,
  resources: [{ attributes, scopes: [{ name: 'scope', version: '1.2', spans }] }],
  expect: { kept, rejectedReasons },
});

function nested(depth: number): AnyValueCase {
  let v: AnyValueCase = { string: 'leaf' };
  for (let i = 0; i < depth; i++) v = { array: [v] };
  return v;
}

export const DECODER_CASES: RequestCase[] = [
  one('a valid server span', [span(1)], 1),
  one(
    'every attribute value type',
    [
      span(2, {
        attributes: {
          s: { string: 'ünï ✓' },
          b: { bool: true },
          i: { int: '-9007199254740993' },
          d: { double: 1.5 },
          y: { bytes: Buffer.from([0, 1, 254]) },
          a: { array: [{ string: 'x' }, { int: '2' }] },
          m: { kvlist: { k: { bool: false } } },
        },
      }),
    ],
    1,
  ),
  one(
    'status, kinds 0-5 and an out-of-range kind and status code',
    [0, 1, 2, 3, 4, 5, 9].map((k, i) => span(10 + i, { kind: k, status: { code: i % 4, message: i ? 'boom' : '' } })),
    7,
  ),
  one(
    'events and links',
    [
      span(20, {
        events: [
          { time: T0 + 1n, name: 'exception', attributes: { 'exception.type': { string: 'E' } } },
          { time: T0 + 2n, name: '' },
        ],
        links: [{ traceId: id(0xdef, 16), spanId: id(7, 8), traceState: 'k=v', attributes: { why: { string: 'batch' } } }],
      }),
    ],
    1,
  ),
  one('a parent of eight zero bytes is no parent', [span(21, { parentSpanId: id(0, 8) })], 1),
  one('no service.name: unknown_service', [span(22)], 1, [], { host: { string: 'h1' } }),
  one(
    'partial success: each invalid span rejected with its reason, the valid ones kept',
    [
      span(30),
      span(31, { traceId: id(1, 8) }),
      span(32, { traceId: id(0, 16) }),
      span(33, { spanId: id(0, 8) }),
      span(34, { spanId: id(5, 4) }),
      span(35, { parentSpanId: id(5, 4) }),
      span(36, { start: 0n }),
      span(37, { end: T0 - 1n }),
      span(38, { start: 9_300_000_000_000_000_000n, end: 9_300_000_000_000_000_001n }),
      span(39),
    ],
    2,
    [
      /trace_id must be 16 bytes, got 8/,
      /trace_id is all zeros/,
      /span_id is all zeros/,
      /span_id must be 8 bytes, got 4/,
      /parent_span_id must be empty or 8 bytes, got 4/,
      /start_time_unix_nano is missing/,
      /end_time_unix_nano is before/,
      /after 2262-04-11/,
    ],
  ),
  one(
    'an attribute nested deeper than the limit rejects its span only',
    [span(40, { attributes: { deep: nested(40) } }), span(41, { attributes: { ok: nested(30) } })],
    1,
    [/nested deeper than 32 levels/],
  ),
  {
    name: 'several resources and scopes',
    resources: [
      { attributes: { 'service.name': { string: 'a' } }, scopes: [{ name: 's1', spans: [span(50)] }, { spans: [span(51)] }] },
      { attributes: { 'service.name': { string: 'b' } }, scopes: [{ name: 's2', version: '9', spans: [span(52), span(53)] }] },
      { scopes: [] },
    ],
    expect: { kept: 4, rejectedReasons: [] },
  },
];

type Json = Record<string, unknown>;

/** The protobufjs object form (ids as bytes). */
export function protoObject(c: RequestCase): Json {
  return {
    resourceSpans: c.resources.map((r) => ({
      resource: { attributes: kvs(r.attributes, protoValue) },
      scopeSpans: r.scopes.map((s) => ({ scope: { name: s.name, version: s.version }, spans: s.spans.map((x) => protoSpan(x)) })),
    })),
  };
}

/** The OTLP/JSON form (ids as hex, 64-bit integers as strings, lowerCamelCase). */
export function jsonObject(c: RequestCase): Json {
  return {
    resourceSpans: c.resources.map((r) => ({
      resource: { attributes: kvs(r.attributes, jsonValue) },
      scopeSpans: r.scopes.map((s) => ({ scope: { name: s.name, version: s.version }, spans: s.spans.map((x) => jsonSpan(x)) })),
    })),
  };
}

const kvs = (attrs: Record<string, AnyValueCase> | undefined, value: (v: AnyValueCase) => Json) =>
  Object.entries(attrs ?? {}).map(([key, v]) => ({ key, value: value(v) }));
const bytes = (hex: string | undefined) => Buffer.from(hex ?? '', 'hex');

function protoSpan(s: SpanCase): Json {
  return {
    traceId: bytes(s.traceId),
    spanId: bytes(s.spanId),
    parentSpanId: bytes(s.parentSpanId),
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: s.start?.toString(),
    endTimeUnixNano: s.end?.toString(),
    attributes: kvs(s.attributes, protoValue),
    status: s.status,
    events: (s.events ?? []).map((e) => ({ timeUnixNano: e.time.toString(), name: e.name, attributes: kvs(e.attributes, protoValue) })),
    links: (s.links ?? []).map((l) => ({
      traceId: bytes(l.traceId),
      spanId: bytes(l.spanId),
      traceState: l.traceState,
      attributes: kvs(l.attributes, protoValue),
    })),
  };
}

function jsonSpan(s: SpanCase): Json {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: s.start?.toString(),
    endTimeUnixNano: s.end?.toString(),
    attributes: kvs(s.attributes, jsonValue),
    ...(s.status ? { status: s.status } : {}),
    events: (s.events ?? []).map((e) => ({ timeUnixNano: e.time.toString(), name: e.name, attributes: kvs(e.attributes, jsonValue) })),
    links: (s.links ?? []).map((l) => ({
      traceId: l.traceId,
      spanId: l.spanId,
      traceState: l.traceState,
      attributes: kvs(l.attributes, jsonValue),
    })),
  };
}

function protoValue(v: AnyValueCase): Json {
  if (v.string !== undefined) return { stringValue: v.string };
  if (v.bool !== undefined) return { boolValue: v.bool };
  if (v.int !== undefined) return { intValue: v.int };
  if (v.double !== undefined) return { doubleValue: v.double };
  if (v.bytes !== undefined) return { bytesValue: v.bytes };
  if (v.array !== undefined) return { arrayValue: { values: v.array.map(protoValue) } };
  return { kvlistValue: { values: kvs(v.kvlist, protoValue) } };
}

function jsonValue(v: AnyValueCase): Json {
  if (v.bytes !== undefined) return { bytesValue: v.bytes.toString('base64') };
  if (v.array !== undefined) return { arrayValue: { values: v.array.map(jsonValue) } };
  if (v.kvlist !== undefined) return { kvlistValue: { values: kvs(v.kvlist, jsonValue) } };
  return protoValue(v);
}
