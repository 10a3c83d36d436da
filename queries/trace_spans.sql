-- One trace's stored spans, events and links included. The lookup table (0009) gives the trace's first and last
-- span start, so only those minutes are read. A trace without a lookup row (stored on a cluster before 0009; min()
-- of no rows is the epoch) is found by reading every part.
WITH
    (SELECT min(Start) FROM otel_traces_trace_id_ts WHERE TraceId = {traceId:String}) AS traceStart,
    (SELECT max(End) + 1 FROM otel_traces_trace_id_ts WHERE TraceId = {traceId:String}) AS traceEnd
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
    StatusMessage AS statusMessage,
    SpanAttributes AS attributes,
    ResourceAttributes AS resource,
    arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS eventTimesNs,
    Events.Name AS eventNames,
    Events.Attributes AS eventAttributes,
    Links.TraceId AS linkTraceIds,
    Links.SpanId AS linkSpanIds
FROM otel_traces
WHERE TraceId = {traceId:String}
  AND (traceStart = toDateTime(0) OR (Timestamp >= traceStart AND Timestamp <= traceEnd))
ORDER BY Timestamp, SpanId
LIMIT {maxSpans:UInt32}
