-- Incidents and their reports; every update inserts a new version, FINAL reads the newest.
-- distribute: incidents by cityHash64(Id)
CREATE TABLE IF NOT EXISTS {{local:incidents}} {{on_cluster}}
(
    Id String,
    DedupKey String,
    Service LowCardinality(String),
    Status LowCardinality(String),
    AlertStatus LowCardinality(String),
    CreatedAt DateTime64(3),
    UpdatedAt DateTime64(3),
    Version UInt64,
    Report String CODEC(ZSTD(3))
)
ENGINE = {{engine:ReplacingMergeTree(Version)}}
ORDER BY Id
