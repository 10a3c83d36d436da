-- One SLO's requests and good requests (good = spans that are not errors) per hour over its window, from the per-minute rollup: the
-- SLI over the whole window and the per-hour series (budget chart). {start} and {end} are whole minutes.
SELECT
    toUnixTimestamp(toStartOfHour(Minute)) * 1000 AS atMs,
    sum(Calls) AS total,
    sum(Calls) - sum(Errors) AS good
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
