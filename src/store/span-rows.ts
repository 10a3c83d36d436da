/** Serialises spans as TabSeparated rows for otel_traces, in SPAN_COLUMNS order. */
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES, type Attributes, type Span } from '../span.js';
import { tsvMap, tsvString } from './tsv.js';

export const SPAN_COLUMNS = [
  'Timestamp', 'TraceId', 'SpanId', 'ParentSpanId', 'TraceState', 'SpanName', 'SpanKind', 'ServiceName',
  'ResourceAttributes', 'ScopeName', 'ScopeVersion', 'SpanAttributes', 'Duration', 'StatusCode', 'StatusMessage',
] as const;

export function spansToTsv(spans: readonly Span[]): string {
  // Spans of one resource share its attributes object: encode it once per batch.
  const resources = new Map<Attributes, string>();
  const lines = new Array<string>(spans.length);
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    let res = resources.get(s.resource);
    if (res === undefined) {
      res = tsvMap(s.resource);
      resources.set(s.resource, res);
    }
    lines[i] =
      `${s.startNs}\t${s.traceId}\t${s.spanId}\t${s.parentSpanId}\t${tsvString(s.traceState)}\t${tsvString(s.name)}\t` +
      `${SPAN_KIND_NAMES[s.kind]}\t${tsvString(s.serviceName)}\t${res}\t${tsvString(s.scopeName)}\t${tsvString(s.scopeVersion)}\t` +
      `${tsvMap(s.attributes)}\t${s.durationNs}\t${STATUS_CODE_NAMES[s.statusCode]}\t${tsvString(s.statusMessage)}\n`;
  }
  return lines.join('');
}
