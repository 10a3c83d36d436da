-- One SLO's requests and good requests (good = spans no slower than the threshold: the exact counts of the grid buckets up to it (latency-grid.ts)) per step
-- ({stepMinutes}: 1 for the burn-rate windows, 60 for the SLI over the window and its per-hour series), from the
-- per-minute rollup, in [{start}, {end}) (whole minutes). The SLO's requests: its operation's spans, else the
-- service's server and consumer spans.
SELECT
    toUnixTimestamp(toStartOfInterval(Minute, toIntervalMinute({stepMinutes:UInt32}))) * 1000 AS atMs,
    sum(arraySum(mapValues(LatencyBuckets))) AS total,
    sum(arraySum(mapValues(mapFilter((id, n) -> id <= {bucketId:UInt16}, LatencyBuckets)))) AS good
FROM span_rollup_1m
WHERE ServiceName = {service:String}
  AND Minute >= fromUnixTimestamp64Milli({start:Int64})
  AND Minute < fromUnixTimestamp64Milli({end:Int64})
  AND (
        ({operation:String} = '' AND SpanKind IN ('Server', 'Consumer'))
     OR ({operation:String} != '' AND SpanName = {operation:String})
  )
  AND ({environment:String} = '' OR Environment = {environment:String})
GROUP BY atMs
HAVING total > 0
ORDER BY atMs
