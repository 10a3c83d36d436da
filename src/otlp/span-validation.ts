/** Checks shared by the protobuf and JSON decoders. Returns the reason a span is invalid, or undefined. */

import { InputError } from '../errors.js';

/** ClickHouse's DateTime64(9) ends at 2262-04-11; a span must start and end before it. */
export const MAX_TIME_NS = 9_223_372_036_000_000_000n;
/** Attribute values (arrays, maps) nest at most this deep; deeper is refused, not recursed into. */
export const MAX_ATTRIBUTE_DEPTH = 32;

export class NestingTooDeepError extends InputError {
  constructor() {
    super(`attribute value nested deeper than ${MAX_ATTRIBUTE_DEPTH} levels`);
  }
}

const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

export function invalidSpanReason(
  traceId: string,
  spanId: string,
  parentSpanId: string,
  startNs: bigint,
  endNs: bigint,
): string | undefined {
  if (traceId.length !== 32) return `trace_id must be 16 bytes, got ${traceId.length / 2}`;
  if (traceId === ZERO_TRACE) return 'trace_id is all zeros';
  if (spanId.length !== 16) return `span_id must be 8 bytes, got ${spanId.length / 2}`;
  if (spanId === ZERO_SPAN) return 'span_id is all zeros';
  if (parentSpanId.length !== 0 && parentSpanId.length !== 16)
    return `parent_span_id must be empty or 8 bytes, got ${parentSpanId.length / 2}`;
  if (startNs === 0n) return 'start_time_unix_nano is missing';
  if (endNs < startNs) return 'end_time_unix_nano is before start_time_unix_nano';
  if (endNs >= MAX_TIME_NS) return 'end_time_unix_nano is after 2262-04-11 (beyond what the store can hold)';
  return undefined;
}

/** Some SDKs send a root span's parent as eight zero bytes; the exporter stores a root's parent as '' (so do we). */
export function parentIdOf(hex: string): string {
  return hex === ZERO_SPAN ? '' : hex;
}
