-- Whether a table of this name exists in the store's database.
SELECT count() > 0 AS exists
FROM system.tables
WHERE database = currentDatabase() AND name = {table:String}
