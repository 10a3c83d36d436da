-- Rows in one table's active parts (by name as given: not renamed by FAULTLINE_TRACES_TABLE).
SELECT toUInt64(sum(rows)) AS count
FROM system.parts
WHERE active AND database = currentDatabase() AND table = {table:String}
