-- The incidents opened for a webhook call's alerts (fingerprint + startsAt), in one read.
SELECT
    DedupKey AS dedupKey,
    argMax(Report, Version) AS report
FROM incidents FINAL
WHERE DedupKey IN {dedupKeys:Array(String)}
GROUP BY DedupKey
