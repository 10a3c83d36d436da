CREATE TABLE IF NOT EXISTS faultline_schema_migrations
(
    Version UInt32,
    Name String,
    AppliedAt DateTime DEFAULT now()
)
ENGINE = ReplacingMergeTree
ORDER BY Version
