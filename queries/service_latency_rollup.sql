-- Latency of one service from the per-minute rollup (DDSketch, 0.5% relative error), for long windows.
SELECT
    sum(Calls) AS count,
    sum(Errors) AS errors,
    quantilesDDMerge(0.005, {q1:Float64}, {q2:Float64}, {q3:Float64}, {q4:Float64}, {q5:Float64})(DurationSketch) AS quantilesNs
FROM span_rollup_1m
WHERE ServiceName = {service:String}
  AND Minute >= fromUnixTimestamp64Milli({start:Int64} - 30000)
  AND Minute < fromUnixTimestamp64Milli({end:Int64} - 30000)
  AND (
        ({operation:String} = '' AND SpanKind IN ('Server', 'Consumer'))
     OR ({operation:String} != '' AND SpanName = {operation:String})
  )
  AND ({environment:String} = '' OR Environment = {environment:String})
