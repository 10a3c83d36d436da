/** Encodes spans as one Native block for otel_traces (columns in the table's order). */
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES, type Span } from '../span.js';
import { NativeBlockWriter } from './native-block.js';

export function spansToNative(spans: readonly Span[]): Buffer {
  const w = new NativeBlockWriter(15, spans.length);
  w.column('Timestamp', 'DateTime64(9)');
  for (const s of spans) w.int64(s.startNs);
  w.column('TraceId', 'String');
  for (const s of spans) w.ascii(s.traceId);
  w.column('SpanId', 'String');
  for (const s of spans) w.ascii(s.spanId);
  w.column('ParentSpanId', 'String');
  for (const s of spans) w.ascii(s.parentSpanId);
  w.column('TraceState', 'String');
  for (const s of spans) w.string(s.traceState);
  w.column('SpanName', 'String');
  for (const s of spans) w.string(s.name);
  w.column('SpanKind', 'String');
  for (const s of spans) w.ascii(SPAN_KIND_NAMES[s.kind]);
  w.column('ServiceName', 'String');
  for (const s of spans) w.string(s.serviceName);
  w.column('ResourceAttributes', 'Map(String, String)');
  w.maps(spans.map((s) => s.resource));
  w.column('ScopeName', 'String');
  for (const s of spans) w.string(s.scopeName);
  w.column('ScopeVersion', 'String');
  for (const s of spans) w.string(s.scopeVersion);
  w.column('SpanAttributes', 'Map(String, String)');
  w.maps(spans.map((s) => s.attributes));
  w.column('Duration', 'UInt64');
  for (const s of spans) w.uint64(s.durationNs);
  w.column('StatusCode', 'String');
  for (const s of spans) w.ascii(STATUS_CODE_NAMES[s.statusCode]);
  w.column('StatusMessage', 'String');
  for (const s of spans) w.string(s.statusMessage);
  return w.finish();
}
