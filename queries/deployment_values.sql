-- Values of the resource attributes that name a deployment (version, replica set, image) per service over the
-- baseline and the window: spans with each value in either period, and when it was first seen.
SELECT
    ServiceName AS service,
    attribute,
    ResourceAttributes[attribute] AS value,
    toUnixTimestamp64Milli(min(Timestamp)) AS firstSeenMs,
    countIf(Timestamp < fromUnixTimestamp64Milli({baselineEnd:Int64})) AS baselineSpans,
    countIf(Timestamp >= fromUnixTimestamp64Milli({windowStart:Int64})) AS windowSpans
FROM otel_traces
ARRAY JOIN {attributes:Array(String)} AS attribute
WHERE ServiceName IN {services:Array(String)}
  AND Timestamp >= fromUnixTimestamp64Milli({baselineStart:Int64})
  AND Timestamp < fromUnixTimestamp64Milli({windowEnd:Int64})
  AND ({environment:String} = '' OR ResourceAttributes['deployment.environment.name'] = {environment:String}
       OR ResourceAttributes['deployment.environment'] = {environment:String})
  AND ResourceAttributes[attribute] != ''
GROUP BY service, attribute, value
