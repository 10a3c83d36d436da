/** Encodes simulator spans as real OTLP requests with the official @opentelemetry/otlp-transformer serializers. */
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Attributes, Span } from '../../src/span.js';

const resources = new WeakMap<Attributes, Resource>();

/** OTLP SpanKind (1..5) -> the API's SpanKind (0..4); the serializer adds 1 back. */
function apiKind(kind: number): number {
  return kind === 0 ? 0 : kind - 1;
}

function hrTime(ns: bigint): [number, number] {
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}

export function toReadableSpan(s: Span): ReadableSpan {
  let resource = resources.get(s.resource);
  if (!resource) {
    resource = resourceFromAttributes(s.resource);
    resources.set(s.resource, resource);
  }
  const duration = s.endNs - s.startNs;
  return {
    name: s.name,
    kind: apiKind(s.kind),
    spanContext: () => ({ traceId: s.traceId, spanId: s.spanId, traceFlags: 1 }),
    parentSpanContext: s.parentSpanId ? { traceId: s.traceId, spanId: s.parentSpanId, traceFlags: 1 } : undefined,
    startTime: hrTime(s.startNs),
    endTime: hrTime(s.endNs),
    duration: hrTime(duration),
    status: { code: s.statusCode, message: s.statusMessage || undefined },
    attributes: s.attributes,
    links: (s.links ?? []).map((l) => ({
      context: { traceId: l.traceId, spanId: l.spanId, traceFlags: 1, traceState: undefined },
      attributes: l.attributes,
    })),
    events: (s.events ?? []).map((e) => ({ name: e.name, time: hrTime(e.timeNs), attributes: e.attributes })),
    ended: true,
    resource,
    instrumentationScope: { name: s.scopeName, version: s.scopeVersion },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  } as ReadableSpan;
}

export function encodeProto(spans: Span[]): Buffer {
  return Buffer.from(ProtobufTraceSerializer.serializeRequest(spans.map(toReadableSpan))!);
}

/**
 * Cuts spans into consecutive requests of `perRequest` spans (a partial last one is left out), at most `max` of them,
 * each encoded by `encode` (protobuf unless said). Benches encode their requests up front through this, inside a
 * function of their own, so the span objects are garbage by the time they send (docs/scaling.md, session 18).
 */
export function encodeInRequests<T = Buffer>(
  spans: Span[],
  perRequest: number,
  max: number,
  encode: (chunk: Span[]) => T = encodeProto as (chunk: Span[]) => T,
): T[] {
  const out: T[] = [];
  for (let i = 0; i + perRequest <= spans.length && out.length < max; i += perRequest) out.push(encode(spans.slice(i, i + perRequest)));
  return out;
}

export function encodeJson(spans: Span[]): Buffer {
  return Buffer.from(JsonTraceSerializer.serializeRequest(spans.map(toReadableSpan))!);
}
