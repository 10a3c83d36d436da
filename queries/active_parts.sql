-- Active parts per table of faultline's database: flat at steady state when merges keep up with the inserts.
SELECT table, toUInt64(count()) AS parts
FROM system.parts
WHERE active AND database = currentDatabase()
GROUP BY table
ORDER BY table
