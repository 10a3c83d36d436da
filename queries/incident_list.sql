-- Incidents, newest first: filtered by service, by analysis or alert status, and by creation time in [start, end);
-- paged by offset.
SELECT Report AS report
FROM incidents FINAL
WHERE ({service:String} = '' OR Service = {service:String})
  AND ({status:String} = '' OR Status = {status:String} OR AlertStatus = {status:String})
  AND CreatedAt >= fromUnixTimestamp64Milli({start:Int64})
  AND CreatedAt < fromUnixTimestamp64Milli({end:Int64})
ORDER BY CreatedAt DESC, Id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
