-- Incidents, newest first, optionally filtered by service and by analysis or alert status.
SELECT Report AS report
FROM incidents FINAL
WHERE ({service:String} = '' OR Service = {service:String})
  AND ({status:String} = '' OR Status = {status:String} OR AlertStatus = {status:String})
ORDER BY CreatedAt DESC, Id
LIMIT {limit:UInt32}
