-- Whether a service sent any span in [start, end): alerts about services faultline has never seen traces of (a
-- node exporter, a database's own alerts) are skipped instead of opening empty incidents.
SELECT count() AS found
FROM (
    SELECT 1
    FROM otel_traces
    WHERE ServiceName = {service:String}
      AND Timestamp >= fromUnixTimestamp64Milli({start:Int64})
      AND Timestamp < fromUnixTimestamp64Milli({end:Int64})
      AND ({environment:String} = '' OR ResourceAttributes['deployment.environment.name'] = {environment:String}
       OR ResourceAttributes['deployment.environment'] = {environment:String})
    LIMIT 1
)
