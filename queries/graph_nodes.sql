-- Instrumented services in a window: requests they served (server/consumer spans), errors, latency and self time
-- (of server, consumer and internal spans: the time spent in the service itself). Minutes by midpoint, as graph_edges.
SELECT
    ServiceName AS id,
    sum(Calls) AS spans,
    sumIf(Calls, SpanKind IN ('Server', 'Consumer')) AS requests,
    sumIf(Errors, SpanKind IN ('Server', 'Consumer')) AS errors,
    quantilesDDMergeIf(0.005, 0.5, 0.99)(DurationSketch, SpanKind IN ('Server', 'Consumer')) AS latencyNs,
    quantilesDDMergeIf(0.005, 0.5, 0.99)(SelfSketch, SpanKind IN ('Server', 'Consumer', 'Internal')) AS selfTimeNs
FROM span_rollup_1m
WHERE Minute >= fromUnixTimestamp64Milli({start:Int64} - 30000)
  AND Minute < fromUnixTimestamp64Milli({end:Int64} - 30000)
  AND ({environment:String} = '' OR Environment = {environment:String})
GROUP BY ServiceName
ORDER BY id
