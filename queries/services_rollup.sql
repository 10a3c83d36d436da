-- services_raw over the per-minute rollup, for long windows.
SELECT
    ServiceName AS name,
    sum(Calls) AS spanCount,
    sumIf(Calls, SpanKind IN ('Server', 'Consumer')) AS requests,
    sumIf(Errors, SpanKind IN ('Server', 'Consumer')) AS errors,
    quantilesDDMergeIf(0.005, 0.5, 0.99)(DurationSketch, SpanKind IN ('Server', 'Consumer')) AS quantilesNs
FROM span_rollup_1m
WHERE Minute >= fromUnixTimestamp64Milli({start:Int64} - 30000)
  AND Minute < fromUnixTimestamp64Milli({end:Int64} - 30000)
  AND ({environment:String} = '' OR Environment = {environment:String})
GROUP BY ServiceName
ORDER BY name
