-- Uninstrumented dependencies (databases, queues, external APIs) in a window, as their callers saw them.
SELECT
    Server AS name,
    any(ServerKind) AS kind,
    sum(Calls) AS spanCount,
    sum(Errors) AS errors,
    quantilesDDMerge(0.005, 0.5, 0.99)(ClientSketch) AS quantilesNs,
    toUnixTimestamp(min(Minute)) * 1000 AS firstMs,
    toUnixTimestamp(max(Minute)) * 1000 + 60000 AS lastMs
FROM edge_rollup_1m
WHERE Minute >= fromUnixTimestamp64Milli({start:Int64} - 30000)
  AND Minute < fromUnixTimestamp64Milli({end:Int64} - 30000)
  AND ServerKind != 'service'
  AND ({environment:String} = '' OR Environment = {environment:String})
GROUP BY Server
ORDER BY name
