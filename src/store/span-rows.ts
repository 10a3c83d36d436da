/** Serialises spans as JSONEachRow lines for otel_traces. Hand-built strings: no per-span object for the JSON encoder. */
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES, type Attributes, type Span } from '../span.js';

const q = JSON.stringify;

export function spansToJsonLines(spans: readonly Span[]): string {
  // Spans of one resource share its attributes object: encode it once.
  const resourceJson = new Map<Attributes, string>();
  let out = '';
  for (const s of spans) {
    let res = resourceJson.get(s.resource);
    if (res === undefined) {
      res = q(s.resource);
      resourceJson.set(s.resource, res);
    }
    out +=
      `{"Timestamp":"${s.startNs}","TraceId":"${s.traceId}","SpanId":"${s.spanId}","ParentSpanId":"${s.parentSpanId}",` +
      `"TraceState":${q(s.traceState)},"SpanName":${q(s.name)},"SpanKind":"${SPAN_KIND_NAMES[s.kind]}",` +
      `"ServiceName":${q(s.serviceName)},"ResourceAttributes":${res},"ScopeName":${q(s.scopeName)},` +
      `"ScopeVersion":${q(s.scopeVersion)},"SpanAttributes":${q(s.attributes)},"Duration":${s.durationNs},` +
      `"StatusCode":"${STATUS_CODE_NAMES[s.statusCode]}","StatusMessage":${q(s.statusMessage)}}\n`;
  }
  return out;
}
