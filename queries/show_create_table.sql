-- The DDL of one of our tables, as the engine stores it.
SELECT create_table_query AS statement
FROM system.tables
WHERE database = currentDatabase() AND name = {table:String}
