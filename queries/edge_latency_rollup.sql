-- Calls, errors and client/server latency quantiles of one edge over a window, from the per-minute edge rollup.
SELECT
    sum(Calls) AS calls,
    sum(Errors) AS errors,
    quantilesDDMerge(0.005, 0.5, 0.99)(ClientSketch) AS clientQuantilesNs,
    quantilesDDMerge(0.005, 0.5, 0.99)(ServerSketch) AS serverQuantilesNs
FROM edge_rollup_1m
WHERE Client = {client:String}
  AND Server = {server:String}
  AND Minute >= fromUnixTimestamp64Milli({start:Int64} - 30000)
  AND Minute < fromUnixTimestamp64Milli({end:Int64} - 30000)
  AND ({environment:String} = '' OR Environment = {environment:String})
