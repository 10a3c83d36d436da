-- Parts the engine set aside (a broken part detached at start, one a person detached by hand), per table of this
-- database: their rows are not readable until the part is repaired or dropped.
SELECT table, reason, count() AS parts
FROM system.detached_parts
WHERE database = currentDatabase()
GROUP BY table, reason
ORDER BY table, reason
