/**
 * Decodes an OTLP ExportTraceServiceRequest (protobuf) straight into internal spans.
 * Field numbers follow opentelemetry/proto/trace/v1/trace.proto and common/v1/common.proto (see proto/).
 * Events and links are kept for the store (Grafana's trace view shows them); the graph and RCA do not read them.
 */
import {
  UNKNOWN_SERVICE,
  type Attributes,
  type Span,
  type SpanEvent,
  type SpanKindNumber,
  type SpanLink,
  type StatusCodeNumber,
} from '../span.js';
import { RejectionLog, type DecodedExport } from './decoded-export.js';
import { ProtoReader, WireType } from './proto-reader.js';
import { invalidSpanReason, MAX_ATTRIBUTE_DEPTH, NestingTooDeepError, parentIdOf } from './span-validation.js';

export function decodeExportRequestProto(buf: Buffer): DecodedExport {
  const r = new ProtoReader(buf);
  const spans: Span[] = [];
  const rejections = new RejectionLog();
  let resourceIndex = 0;
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.LEN)) {
      const end = r.lengthDelimitedEnd();
      decodeResourceSpans(new ProtoReader(buf, r.pos, end), spans, rejections, resourceIndex++);
      r.pos = end;
    } else r.skip(tag & 7);
  }
  return { spans, rejected: rejections.count, errorMessage: rejections.message() };
}

function decodeResourceSpans(r: ProtoReader, out: Span[], rejections: RejectionLog, resourceIndex: number): void {
  let resource: Attributes = {};
  // Encoders write the resource first, but the wire format allows any order: remember scope_spans and decode them after.
  const scopes: number[] = [];
  while (r.pos < r.end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === WireType.LEN) {
      const end = r.lengthDelimitedEnd();
      resource = decodeResource(new ProtoReader(r.buf, r.pos, end));
      r.pos = end;
    } else if (field === 2 && (tag & 7) === WireType.LEN) {
      const end = r.lengthDelimitedEnd();
      scopes.push(r.pos, end);
      r.pos = end;
    } else r.skip(tag & 7);
  }
  const serviceName = resource['service.name'] || UNKNOWN_SERVICE;
  for (let i = 0; i < scopes.length; i += 2) {
    decodeScopeSpans(new ProtoReader(r.buf, scopes[i], scopes[i + 1]), resource, serviceName, out, rejections, resourceIndex);
  }
}

function decodeResource(r: ProtoReader): Attributes {
  const attrs: Attributes = {};
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.LEN)) decodeKeyValueInto(r, attrs);
    else r.skip(tag & 7);
  }
  return attrs;
}

function decodeScopeSpans(
  r: ProtoReader,
  resource: Attributes,
  serviceName: string,
  out: Span[],
  rejections: RejectionLog,
  resourceIndex: number,
): void {
  let scopeName = '';
  let scopeVersion = '';
  const spans: number[] = [];
  while (r.pos < r.end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === WireType.LEN) {
      const end = r.lengthDelimitedEnd();
      const s = new ProtoReader(r.buf, r.pos, end);
      while (s.pos < s.end) {
        const t = s.uint32();
        if (t === ((1 << 3) | WireType.LEN)) scopeName = s.repeatedString();
        else if (t === ((2 << 3) | WireType.LEN)) scopeVersion = s.repeatedString();
        else s.skip(t & 7);
      }
      r.pos = end;
    } else if (field === 2 && (tag & 7) === WireType.LEN) {
      const end = r.lengthDelimitedEnd();
      spans.push(r.pos, end);
      r.pos = end;
    } else r.skip(tag & 7);
  }
  const reader = new ProtoReader(r.buf);
  for (let i = 0; i < spans.length; i += 2) {
    reader.pos = spans[i]!;
    reader.end = spans[i + 1]!;
    const span = decodeSpan(reader, resource, serviceName, scopeName, scopeVersion, rejections, resourceIndex);
    if (span) out.push(span);
  }
}

function decodeSpan(
  r: ProtoReader,
  resource: Attributes,
  serviceName: string,
  scopeName: string,
  scopeVersion: string,
  rejections: RejectionLog,
  resourceIndex: number,
): Span | undefined {
  let traceId = '';
  let spanId = '';
  let parentSpanId = '';
  let traceState = '';
  let name = '';
  let kind = 0;
  let startNs = 0n;
  let endNs = 0n;
  let statusCode = 0;
  let statusMessage = '';
  const attributes: Attributes = {};
  let events: SpanEvent[] | undefined;
  let links: SpanLink[] | undefined;
  const spanEnd = r.end;
  try {
    while (r.pos < r.end) {
      const tag = r.uint32();
      switch (tag) {
        case (1 << 3) | WireType.LEN:
          traceId = r.hex();
          break;
        case (2 << 3) | WireType.LEN:
          spanId = r.hex();
          break;
        case (3 << 3) | WireType.LEN:
          traceState = r.string();
          break;
        case (4 << 3) | WireType.LEN:
          parentSpanId = r.hex();
          break;
        case (5 << 3) | WireType.LEN:
          name = r.repeatedString();
          break;
        case (6 << 3) | WireType.VARINT:
          kind = r.uint32();
          break;
        case (7 << 3) | WireType.I64:
          startNs = r.fixed64();
          break;
        case (8 << 3) | WireType.I64:
          endNs = r.fixed64();
          break;
        case (9 << 3) | WireType.LEN:
          decodeKeyValueInto(r, attributes);
          break;
        case (11 << 3) | WireType.LEN:
          (events ??= []).push(decodeEvent(r));
          break;
        case (13 << 3) | WireType.LEN:
          (links ??= []).push(decodeLink(r));
          break;
        case (15 << 3) | WireType.LEN: {
          const end = r.lengthDelimitedEnd();
          const s = new ProtoReader(r.buf, r.pos, end);
          while (s.pos < s.end) {
            const t = s.uint32();
            if (t === ((2 << 3) | WireType.LEN)) statusMessage = s.string();
            else if (t === ((3 << 3) | WireType.VARINT)) statusCode = s.uint32();
            else s.skip(t & 7);
          }
          r.pos = end;
          break;
        }
        default:
          r.skip(tag & 7);
      }
    }
  } catch (err) {
    // Too deep an attribute value rejects this span only; the reader is left anywhere inside it, which is fine:
    // the caller positions it at the next span.
    if (!(err instanceof NestingTooDeepError)) throw err;
    r.end = spanEnd;
    rejections.add(`resource_spans[${resourceIndex}] span ${JSON.stringify(name)}`, err.message);
    return undefined;
  }
  const reason = invalidSpanReason(traceId, spanId, parentSpanId, startNs, endNs);
  if (reason !== undefined) {
    rejections.add(`resource_spans[${resourceIndex}] span ${JSON.stringify(name)}`, reason);
    return undefined;
  }
  return {
    traceId,
    spanId,
    parentSpanId: parentIdOf(parentSpanId),
    traceState,
    name,
    kind: (kind <= 5 ? kind : 0) as SpanKindNumber,
    startNs,
    endNs,
    durationNs: Number(endNs - startNs),
    statusCode: (statusCode <= 2 ? statusCode : 0) as StatusCodeNumber,
    statusMessage,
    serviceName,
    resource,
    scopeName,
    scopeVersion,
    attributes,
    events,
    links,
  };
}

/** Span.Event { 1: time_unix_nano fixed64, 2: name, 3: attributes }. */
function decodeEvent(r: ProtoReader): SpanEvent {
  const end = r.lengthDelimitedEnd();
  const saved = r.end;
  r.end = end;
  const event: SpanEvent = { timeNs: 0n, name: '', attributes: {} };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.I64)) event.timeNs = r.fixed64();
    else if (tag === ((2 << 3) | WireType.LEN)) event.name = r.repeatedString();
    else if (tag === ((3 << 3) | WireType.LEN)) decodeKeyValueInto(r, event.attributes);
    else r.skip(tag & 7);
  }
  r.end = saved;
  return event;
}

/** Span.Link { 1: trace_id, 2: span_id, 3: trace_state, 4: attributes }. */
function decodeLink(r: ProtoReader): SpanLink {
  const end = r.lengthDelimitedEnd();
  const saved = r.end;
  r.end = end;
  const link: SpanLink = { traceId: '', spanId: '', traceState: '', attributes: {} };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.LEN)) link.traceId = r.hex();
    else if (tag === ((2 << 3) | WireType.LEN)) link.spanId = r.hex();
    else if (tag === ((3 << 3) | WireType.LEN)) link.traceState = r.string();
    else if (tag === ((4 << 3) | WireType.LEN)) decodeKeyValueInto(r, link.attributes);
    else r.skip(tag & 7);
  }
  r.end = saved;
  return link;
}

/** KeyValue { 1: key, 2: AnyValue }, stored as strings. */
function decodeKeyValueInto(r: ProtoReader, into: Attributes): void {
  const end = r.lengthDelimitedEnd();
  let key = '';
  let value = '';
  const saved = r.end;
  r.end = end;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.LEN)) key = r.repeatedString();
    else if (tag === ((2 << 3) | WireType.LEN)) value = anyValueToString(r);
    else r.skip(tag & 7);
  }
  r.end = saved;
  into[key] = value;
}

/** AnyValue as the clickhouseexporter stores it: scalars as text, arrays and maps as JSON. */
function anyValueToString(r: ProtoReader): string {
  const v = decodeAnyValue(r, 0);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function decodeAnyValue(r: ProtoReader, depth: number): Json {
  if (depth > MAX_ATTRIBUTE_DEPTH) throw new NestingTooDeepError();
  const end = r.lengthDelimitedEnd();
  const saved = r.end;
  r.end = end;
  let out: Json = '';
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | WireType.LEN:
        out = r.repeatedString();
        break;
      case (2 << 3) | WireType.VARINT:
        out = r.uint32() !== 0 ? 'true' : 'false';
        break;
      case (3 << 3) | WireType.VARINT:
        out = r.int64().toString();
        break;
      case (4 << 3) | WireType.I64:
        out = String(r.double());
        break;
      case (5 << 3) | WireType.LEN:
        out = decodeRepeatedAnyValue(r, depth + 1);
        break;
      case (6 << 3) | WireType.LEN:
        out = decodeKeyValueList(r, depth + 1);
        break;
      case (7 << 3) | WireType.LEN:
        out = r.base64();
        break;
      default:
        r.skip(tag & 7);
    }
  }
  r.end = saved;
  return out;
}

function decodeRepeatedAnyValue(r: ProtoReader, depth: number): Json[] {
  const end = r.lengthDelimitedEnd();
  const saved = r.end;
  r.end = end;
  const values: Json[] = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.LEN)) values.push(decodeAnyValue(r, depth));
    else r.skip(tag & 7);
  }
  r.end = saved;
  return values;
}

function decodeKeyValueList(r: ProtoReader, depth: number): { [k: string]: Json } {
  const end = r.lengthDelimitedEnd();
  const saved = r.end;
  r.end = end;
  const obj: { [k: string]: Json } = {};
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.LEN)) {
      const kvEnd = r.lengthDelimitedEnd();
      const s = r.end;
      r.end = kvEnd;
      let key = '';
      let value: Json = '';
      while (r.pos < kvEnd) {
        const t = r.uint32();
        if (t === ((1 << 3) | WireType.LEN)) key = r.string();
        else if (t === ((2 << 3) | WireType.LEN)) value = decodeAnyValue(r, depth);
        else r.skip(t & 7);
      }
      r.end = s;
      obj[key] = value;
    } else r.skip(tag & 7);
  }
  r.end = saved;
  return obj;
}
