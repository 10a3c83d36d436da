-- Exact latency of one service (its server/consumer spans, or one operation's spans) in [start, end), from raw spans.
-- Up to five quantile levels: q1..q5 (unused slots repeat a level).
SELECT
    count() AS count,
    countIf(StatusCode = 'Error') AS errors,
    quantilesExact({q1:Float64}, {q2:Float64}, {q3:Float64}, {q4:Float64}, {q5:Float64})(Duration) AS quantilesNs
FROM otel_traces
WHERE ServiceName = {service:String}
  AND Timestamp >= fromUnixTimestamp64Milli({start:Int64})
  AND Timestamp < fromUnixTimestamp64Milli({end:Int64})
  AND (
        ({operation:String} = '' AND SpanKind IN ('Server', 'Consumer'))
     OR ({operation:String} != '' AND SpanName = {operation:String})
  )
  AND ({environment:String} = '' OR ResourceAttributes['deployment.environment.name'] = {environment:String}
       OR ResourceAttributes['deployment.environment'] = {environment:String})
