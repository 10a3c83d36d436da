SELECT DISTINCT Version AS version FROM faultline_schema_migrations ORDER BY version
