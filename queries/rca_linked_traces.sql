-- Traces that continue the sampled ones through a span link: a queue's consumer that starts its own trace with a
-- link to the publish span (the other common convention besides a child span). Only the linking spans' traces,
-- near the period; the RCA then reads their spans with rca_trace_spans.
SELECT DISTINCT TraceId AS traceId
FROM otel_traces
WHERE Timestamp >= fromUnixTimestamp64Milli({start:Int64} - {marginMs:Int64})
  AND Timestamp < fromUnixTimestamp64Milli({end:Int64} + {marginMs:Int64})
  AND SpanKind IN ('Consumer', 'Server')
  AND notEmpty(Links.TraceId)
  AND hasAny(Links.TraceId, {traceIds:Array(String)})
LIMIT {limit:UInt32}
