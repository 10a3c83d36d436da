-- Rows and bytes on disk of our tables (active parts).
SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes
FROM system.parts
WHERE active AND database = currentDatabase()
GROUP BY table
ORDER BY table
