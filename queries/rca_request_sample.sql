-- A uniform sample of the alerting service's requests (its server/consumer spans, or one operation's) in
-- [start, end): ordered by a hash of the span id, so the same window gives the same sample. With each request's
-- start and end (ms), which bound the read of its trace (rca_trace_spans).
SELECT
    TraceId AS traceId,
    SpanId AS spanId,
    toUnixTimestamp64Milli(Timestamp) AS startMs,
    toUnixTimestamp64Milli(Timestamp) + intDiv(Duration, 1000000) + 1 AS endMs
FROM otel_traces
WHERE ServiceName = {service:String}
  AND Timestamp >= fromUnixTimestamp64Milli({start:Int64})
  AND Timestamp < fromUnixTimestamp64Milli({end:Int64})
  AND (SpanKind IN ('Server', 'Consumer') OR ParentSpanId = '')
  AND ({operation:String} = '' OR SpanName = {operation:String})
  AND ({environment:String} = '' OR ResourceAttributes['deployment.environment.name'] = {environment:String}
       OR ResourceAttributes['deployment.environment'] = {environment:String})
ORDER BY cityHash64(SpanId)
LIMIT {limit:UInt32}
