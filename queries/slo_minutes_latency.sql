-- One SLO's requests and good requests (good = spans no slower than the threshold: the exact counts of the grid buckets up to it (latency-grid.ts)) per minute, from the per-minute rollup, for the burn-rate windows
-- (5m to 3d) ending at {end}. The SLO's requests: its operation's spans, else the service's server and consumer spans.
SELECT
    toUnixTimestamp(Minute) * 1000 AS atMs,
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
GROUP BY Minute
HAVING total > 0
ORDER BY Minute
