-- Replicas starting together on one ClickHouse server take turns at the migrations: each adds a row, and the
-- earliest row still inside the lease holds the lock. Old rows expire.
CREATE TABLE IF NOT EXISTS faultline_migration_lock
(
    Holder String,
    At DateTime64(3)
)
ENGINE = MergeTree
ORDER BY At
TTL toDateTime(At) + INTERVAL 1 DAY
