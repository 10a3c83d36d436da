-- Incidents whose analysis had not finished, and incidents still firing (re-analysed while they fire), to pick up
-- after a restart.
SELECT Report AS report
FROM incidents FINAL
WHERE Status IN ('pending', 'running')
   OR (AlertStatus = 'firing' AND CreatedAt > now64(3) - INTERVAL 1 DAY)
ORDER BY CreatedAt
LIMIT 10000
