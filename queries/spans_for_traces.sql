-- Every stored span of the given traces (a scan: for checks over many traces; one trace is trace_spans.sql).
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
    SpanAttributes AS attributes,
    arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS eventTimesNs,
    Events.Name AS eventNames,
    Links.TraceId AS linkTraceIds
FROM otel_traces
WHERE TraceId IN {traceIds:Array(String)}
ORDER BY TraceId, SpanId
