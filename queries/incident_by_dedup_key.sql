-- The incident opened for an alert (fingerprint + startsAt), if any.
SELECT Report AS report
FROM incidents FINAL
WHERE DedupKey = {dedupKey:String}
ORDER BY CreatedAt
LIMIT 1
