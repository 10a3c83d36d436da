-- Incidents whose analysis had not finished (to resume after a restart).
SELECT Report AS report
FROM incidents FINAL
WHERE Status IN ('pending', 'running')
ORDER BY CreatedAt
LIMIT 10000
