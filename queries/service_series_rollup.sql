-- One service's requests, errors, P50 and P99 per step (a whole number of minutes) from the per-minute rollup, for
-- charts: the incident page draws the alerting service and its top candidates across baseline and window.
SELECT
    toUnixTimestamp(toStartOfInterval(Minute, toIntervalMinute({stepMinutes:UInt32}))) * 1000 AS atMs,
    sum(Calls) AS count,
    sum(Errors) AS errors,
    quantilesDDMerge(0.005, 0.5, 0.99)(DurationSketch) AS quantilesNs
FROM span_rollup_1m
WHERE ServiceName = {service:String}
  AND Minute >= fromUnixTimestamp64Milli({start:Int64} - 30000)
  AND Minute < fromUnixTimestamp64Milli({end:Int64} - 30000)
  AND SpanKind IN ('Server', 'Consumer')
  AND ({environment:String} = '' OR Environment = {environment:String})
GROUP BY atMs
ORDER BY atMs
