-- Every service with spans in [start, end): span count, and error rate and P50/P99 of the requests it served.
SELECT
    ServiceName AS name,
    count() AS spanCount,
    countIf(SpanKind IN ('Server', 'Consumer')) AS requests,
    countIf(SpanKind IN ('Server', 'Consumer') AND StatusCode = 'Error') AS errors,
    quantilesExactIf(0.5, 0.99)(Duration, SpanKind IN ('Server', 'Consumer')) AS quantilesNs
FROM otel_traces
WHERE Timestamp >= fromUnixTimestamp64Milli({start:Int64})
  AND Timestamp < fromUnixTimestamp64Milli({end:Int64})
  AND ({environment:String} = '' OR ResourceAttributes['deployment.environment.name'] = {environment:String}
       OR ResourceAttributes['deployment.environment'] = {environment:String})
GROUP BY ServiceName
ORDER BY name
