/** The internal span shape every stage after decoding works on. Small on purpose: the hot path allocates one per span. */

/** OTLP SpanKind numbers. */
export const SpanKind = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;
export type SpanKindNumber = 0 | 1 | 2 | 3 | 4 | 5;

/** OTLP status codes. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export type StatusCodeNumber = 0 | 1 | 2;

/** Attribute values are kept as strings, the way the Collector's clickhouseexporter stores them. */
export type Attributes = Record<string, string>;

export interface Span {
  /** 32 lowercase hex chars. */
  traceId: string;
  /** 16 lowercase hex chars. */
  spanId: string;
  /** 16 hex chars, or '' for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: SpanKindNumber;
  startNs: bigint;
  endNs: bigint;
  /** endNs - startNs as a number (exact up to ~104 days). */
  durationNs: number;
  statusCode: StatusCodeNumber;
  statusMessage: string;
  serviceName: string;
  /** Shared by all spans of one resource: never mutate. */
  resource: Attributes;
  scopeName: string;
  scopeVersion: string;
  attributes: Attributes;
  /** Absent when the span has none, as most do: no empty arrays on the hot path. */
  events?: SpanEvent[] | undefined;
  links?: SpanLink[] | undefined;
}

/** A span event (an exception, a log line), as the exporter's `Events` nested column holds it. */
export interface SpanEvent {
  timeNs: bigint;
  name: string;
  attributes: Attributes;
}

/** A link to another span (a batch consumer's producers, a follow-up trace), as the `Links` nested column holds it. */
export interface SpanLink {
  /** 32 hex chars. */
  traceId: string;
  /** 16 hex chars. */
  spanId: string;
  traceState: string;
  attributes: Attributes;
}

/** Names used in the store, as the clickhouseexporter spells them. */
export const SPAN_KIND_NAMES = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'] as const;
export const STATUS_CODE_NAMES = ['Unset', 'Ok', 'Error'] as const;

/** What the SDKs call a service without `service.name`. */
export const UNKNOWN_SERVICE = 'unknown_service';
