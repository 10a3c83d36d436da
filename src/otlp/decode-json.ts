/**
 * Decodes an OTLP/JSON ExportTraceServiceRequest (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
 * lowerCamelCase names, hex trace/span ids, enums as integers, 64-bit integers as strings or numbers.
 */
import { InputError } from '../errors.js';
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
import { invalidSpanReason, MAX_ATTRIBUTE_DEPTH, NestingTooDeepError, parentIdOf } from './span-validation.js';

type Obj = Record<string, unknown>;

export function decodeExportRequestJson(body: Buffer | string): DecodedExport {
  let root: unknown;
  try {
    root = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (err) {
    throw new InputError(`malformed JSON body: ${(err as Error).message}`);
  }
  if (!isObj(root)) throw new InputError('body must be a JSON object with a resourceSpans array');
  const resourceSpans = root.resourceSpans ?? [];
  if (!Array.isArray(resourceSpans)) throw new InputError('resourceSpans must be an array');
  const spans: Span[] = [];
  const rejections = new RejectionLog();
  resourceSpans.forEach((rs, i) => {
    if (!isObj(rs)) throw new InputError(`resourceSpans[${i}] must be an object`);
    const resource = isObj(rs.resource) ? attributesOf(rs.resource.attributes, `resourceSpans[${i}].resource`) : {};
    const serviceName = resource['service.name'] || UNKNOWN_SERVICE;
    const scopeSpans = rs.scopeSpans ?? [];
    if (!Array.isArray(scopeSpans)) throw new InputError(`resourceSpans[${i}].scopeSpans must be an array`);
    scopeSpans.forEach((ss, j) => {
      if (!isObj(ss)) throw new InputError(`resourceSpans[${i}].scopeSpans[${j}] must be an object`);
      const scope = isObj(ss.scope) ? ss.scope : {};
      const scopeName = typeof scope.name === 'string' ? scope.name : '';
      const scopeVersion = typeof scope.version === 'string' ? scope.version : '';
      const list = ss.spans ?? [];
      if (!Array.isArray(list)) throw new InputError(`resourceSpans[${i}].scopeSpans[${j}].spans must be an array`);
      list.forEach((raw, k) => {
        const where = `resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`;
        try {
          const span = spanOf(raw, resource, serviceName, scopeName, scopeVersion);
          if (typeof span === 'string') rejections.add(where, span);
          else spans.push(span);
        } catch (err) {
          if (err instanceof InputError) rejections.add(where, err.message);
          else throw err;
        }
      });
    });
  });
  return { spans, rejected: rejections.count, errorMessage: rejections.message() };
}

function spanOf(raw: unknown, resource: Attributes, serviceName: string, scopeName: string, scopeVersion: string): Span | string {
  if (!isObj(raw)) return 'span must be an object';
  const traceId = hexId(raw.traceId, 'traceId');
  const spanId = hexId(raw.spanId, 'spanId');
  const parentSpanId = hexId(raw.parentSpanId, 'parentSpanId');
  const startNs = uint64(raw.startTimeUnixNano, 'startTimeUnixNano');
  const endNs = uint64(raw.endTimeUnixNano, 'endTimeUnixNano');
  const reason = invalidSpanReason(traceId, spanId, parentSpanId, startNs, endNs);
  if (reason !== undefined) return reason;
  const status = isObj(raw.status) ? raw.status : {};
  const kind = enumInt(raw.kind, 'kind', 5);
  const code = enumInt(status.code, 'status.code', 2);
  return {
    traceId,
    spanId,
    parentSpanId: parentIdOf(parentSpanId),
    traceState: typeof raw.traceState === 'string' ? raw.traceState : '',
    name: typeof raw.name === 'string' ? raw.name : '',
    kind: kind as SpanKindNumber,
    startNs,
    endNs,
    durationNs: Number(endNs - startNs),
    statusCode: code as StatusCodeNumber,
    statusMessage: typeof status.message === 'string' ? status.message : '',
    serviceName,
    resource,
    scopeName,
    scopeVersion,
    attributes: attributesOf(raw.attributes, 'attributes'),
    events: listOf(raw.events, 'events', eventOf),
    links: listOf(raw.links, 'links', linkOf),
  };
}

/** A repeated message field: undefined when absent or empty, as the protobuf decoder leaves it. */
function listOf<T>(v: unknown, field: string, one: (o: Obj, where: string) => T): T[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new InputError(`${field} must be an array`);
  if (v.length === 0) return undefined;
  return v.map((o, i) => {
    if (!isObj(o)) throw new InputError(`${field}[${i}] must be an object`);
    return one(o, `${field}[${i}]`);
  });
}

function eventOf(o: Obj, where: string): SpanEvent {
  return {
    timeNs: uint64(o.timeUnixNano, `${where}.timeUnixNano`),
    name: typeof o.name === 'string' ? o.name : '',
    attributes: attributesOf(o.attributes, `${where}.attributes`),
  };
}

function linkOf(o: Obj, where: string): SpanLink {
  return {
    traceId: hexId(o.traceId, `${where}.traceId`),
    spanId: hexId(o.spanId, `${where}.spanId`),
    traceState: typeof o.traceState === 'string' ? o.traceState : '',
    attributes: attributesOf(o.attributes, `${where}.attributes`),
  };
}

function hexId(v: unknown, field: string): string {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v !== 'string' || !/^[0-9a-fA-F]*$/.test(v) || v.length % 2 !== 0) throw new InputError(`${field} must be a hex string`);
  return v.toLowerCase();
}

function uint64(v: unknown, field: string): bigint {
  if (v === undefined || v === null) return 0n;
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new InputError(`${field} must be an unsigned integer (as a string or number)`);
}

function enumInt(v: unknown, field: string, max: number): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v <= max ? v : 0;
  throw new InputError(`${field} must be an integer enum value`);
}

function attributesOf(v: unknown, where: string): Attributes {
  const out: Attributes = {};
  if (v === undefined || v === null) return out;
  if (!Array.isArray(v)) throw new InputError(`${where} must be an array of {key, value}`);
  for (const kv of v) {
    if (!isObj(kv) || typeof kv.key !== 'string') throw new InputError(`${where} entries need a string key`);
    const value = anyValue(kv.value, 0);
    out[kv.key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

type Json = string | Json[] | { [k: string]: Json };

function anyValue(v: unknown, depth: number): Json {
  if (depth > MAX_ATTRIBUTE_DEPTH) throw new NestingTooDeepError();
  if (!isObj(v)) return '';
  if (typeof v.stringValue === 'string') return v.stringValue;
  if (typeof v.boolValue === 'boolean') return v.boolValue ? 'true' : 'false';
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(Number(v.doubleValue));
  if (typeof v.bytesValue === 'string') return v.bytesValue;
  if (isObj(v.arrayValue)) return Array.isArray(v.arrayValue.values) ? v.arrayValue.values.map((x) => anyValue(x, depth + 1)) : [];
  if (isObj(v.kvlistValue)) {
    const obj: { [k: string]: Json } = {};
    const values = Array.isArray(v.kvlistValue.values) ? v.kvlistValue.values : [];
    for (const kv of values) if (isObj(kv) && typeof kv.key === 'string') obj[kv.key] = anyValue(kv.value, depth + 1);
    return obj;
  }
  return '';
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
