/** Encodes spans as one Native block for otel_traces (columns in the table's order). */
import type { Span } from '../../src/span.js';
import { encodeSpanColumns, joinSpanColumns } from '../../src/store/span-columns.js';

export function spansToNative(spans: readonly Span[]): Buffer {
  return joinSpanColumns([encodeSpanColumns(spans)]);
}
