-- services_raw over the per-minute rollup, for long windows (a root span of another kind is rolled up as 'Server':
-- span-pairer.ts). The last minute with data counts whole.
SELECT
    ServiceName AS name,
    sum(Calls) AS spanCount,
    sumIf(Calls, SpanKind IN ('Server', 'Consumer')) AS requests,
    sumIf(Errors, SpanKind IN ('Server', 'Consumer')) AS errors,
    quantilesDDMergeIf(0.005, 0.5, 0.99)(DurationSketch, SpanKind IN ('Server', 'Consumer')) AS quantilesNs,
    toUnixTimestamp(min(Minute)) * 1000 AS firstMs,
    toUnixTimestamp(max(Minute)) * 1000 + 60000 AS lastMs
FROM span_rollup_1m
WHERE Minute >= fromUnixTimestamp64Milli({start:Int64} - 30000)
  AND Minute < fromUnixTimestamp64Milli({end:Int64} - 30000)
  AND ({environment:String} = '' OR Environment = {environment:String})
GROUP BY ServiceName
ORDER BY name
