-- Edges of the service graph in a window, from the per-minute edge rollup. A minute belongs to the window when its
-- midpoint does, so adjacent windows (baseline, incident) never share a minute.
SELECT
    Client AS source,
    Server AS target,
    any(ServerKind) AS targetKind,
    any(ConnectionType) AS connectionType,
    sum(Calls) AS calls,
    sum(Errors) AS errors,
    quantilesDDMerge(0.005, 0.5, 0.99)(ClientSketch) AS clientQuantilesNs,
    quantilesDDMerge(0.005, 0.5, 0.99)(ServerSketch) AS serverQuantilesNs
FROM edge_rollup_1m
WHERE Minute >= fromUnixTimestamp64Milli({start:Int64} - 30000)
  AND Minute < fromUnixTimestamp64Milli({end:Int64} - 30000)
  AND ({environment:String} = '' OR Environment = {environment:String})
GROUP BY Client, Server
ORDER BY source, target
