-- Every service with spans in [start, end): span count, and error rate and P50/P99 of the requests it served (its
-- server and consumer spans, and its root spans of other kinds: a background job's INTERNAL root is its work), and
-- the first and last span start (a rate is per second of data, not of the window).
SELECT
    ServiceName AS name,
    count() AS spanCount,
    countIf((SpanKind IN ('Server', 'Consumer') OR ParentSpanId = '')) AS requests,
    countIf((SpanKind IN ('Server', 'Consumer') OR ParentSpanId = '') AND StatusCode = 'Error') AS errors,
    quantilesExactIf(0.5, 0.99)(Duration, (SpanKind IN ('Server', 'Consumer') OR ParentSpanId = '')) AS quantilesNs,
    toUnixTimestamp64Milli(min(Timestamp)) AS firstMs,
    toUnixTimestamp64Milli(max(Timestamp)) AS lastMs
FROM otel_traces
WHERE Timestamp >= fromUnixTimestamp64Milli({start:Int64})
  AND Timestamp < fromUnixTimestamp64Milli({end:Int64})
  AND ({environment:String} = '' OR ResourceAttributes['deployment.environment.name'] = {environment:String}
       OR ResourceAttributes['deployment.environment'] = {environment:String})
GROUP BY ServiceName
ORDER BY name
