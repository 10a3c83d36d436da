-- Instrumented services in a window: requests they served (server/consumer spans), errors, latency and self time.
SELECT
    s.ServiceName AS id,
    s.spans AS spans,
    s.requests AS requests,
    s.errors AS errors,
    s.latencyNs AS latencyNs,
    t.selfNs AS selfTimeNs
FROM
(
    SELECT
        ServiceName,
        sum(Calls) AS spans,
        sumIf(Calls, SpanKind IN ('Server', 'Consumer')) AS requests,
        sumIf(Errors, SpanKind IN ('Server', 'Consumer')) AS errors,
        quantilesDDMergeIf(0.005, 0.5, 0.99)(DurationSketch, SpanKind IN ('Server', 'Consumer')) AS latencyNs
    FROM span_rollup_1m
    WHERE Minute >= fromUnixTimestamp64Milli({start:Int64} - 30000)
      AND Minute < fromUnixTimestamp64Milli({end:Int64} - 30000)
    GROUP BY ServiceName
) AS s
LEFT JOIN
(
    SELECT ServiceName, quantilesDDMerge(0.005, 0.5, 0.99)(SelfSketch) AS selfNs
    FROM self_time_rollup_1m
    WHERE Minute >= fromUnixTimestamp64Milli({start:Int64} - 30000)
      AND Minute < fromUnixTimestamp64Milli({end:Int64} - 30000)
      AND SpanKind IN ('Server', 'Consumer', 'Internal')
    GROUP BY ServiceName
) AS t ON s.ServiceName = t.ServiceName
ORDER BY id
