-- Every stored span of the given traces.
SELECT
    TraceId AS traceId,
    SpanId AS spanId,
    ParentSpanId AS parentSpanId,
    SpanName AS name,
    SpanKind AS kind,
    ServiceName AS serviceName,
    toString(toUnixTimestamp64Nano(Timestamp)) AS startNs,
    Duration AS durationNs,
    StatusCode AS statusCode,
    SpanAttributes AS attributes
FROM otel_traces
WHERE TraceId IN {traceIds:Array(String)}
ORDER BY TraceId, SpanId
