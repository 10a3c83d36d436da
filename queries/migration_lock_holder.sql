-- Who holds the migration lock: the earliest request still inside the lease.
SELECT Holder AS holder, toUnixTimestamp64Milli(At) AS atMs
FROM faultline_migration_lock
WHERE At > now64(3) - toIntervalSecond({leaseSeconds:UInt32})
ORDER BY At, Holder
LIMIT 1
