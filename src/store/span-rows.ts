/** Encodes spans as one Native block for otel_traces (columns in the table's order). */
import type { Span } from '../span.js';
import { encodeSpanColumns, joinSpanColumns } from './span-columns.js';

export function spansToNative(spans: readonly Span[]): Buffer {
  return joinSpanColumns([encodeSpanColumns(spans)]);
}
