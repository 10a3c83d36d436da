-- single-node only
-- Stores created before the sort keys of 0001-0003 changed (raw spans by trace within a service's minute; rollups
-- hour first) are rebuilt here: copy into a table with the new key, swap names, drop the old copy. The materialized
-- views write by table name, so they follow the swap. On a store created with the new keys this copies once more
-- (cheap when empty). Rerunnable: an interrupted run starts the copy again from the live table.
-- A cluster created before this change must be re-sorted by hand (shards hold different data; an INSERT runs
-- on one node only), so the renderer skips this file in cluster mode; clusters created now get the new keys from 0001-0003.
DROP TABLE IF EXISTS otel_traces_resorted;
CREATE TABLE otel_traces_resorted AS otel_traces
ENGINE = MergeTree
PARTITION BY toDate(Timestamp)
PRIMARY KEY (ServiceName, toStartOfMinute(Timestamp))
ORDER BY (ServiceName, toStartOfMinute(Timestamp), TraceId)
TTL toDateTime(Timestamp) + toIntervalDay({{retention_days}})
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;
INSERT INTO otel_traces_resorted SELECT * FROM otel_traces;
EXCHANGE TABLES otel_traces AND otel_traces_resorted;
DROP TABLE otel_traces_resorted;

DROP TABLE IF EXISTS span_rollup_1m_resorted;
CREATE TABLE span_rollup_1m_resorted AS span_rollup_1m
ENGINE = AggregatingMergeTree
PARTITION BY toDate(Minute)
ORDER BY (toStartOfHour(Minute), ServiceName, SpanName, SpanKind, Minute)
TTL Minute + toIntervalDay({{retention_days}})
SETTINGS index_granularity = 256;
INSERT INTO span_rollup_1m_resorted SELECT * FROM span_rollup_1m;
EXCHANGE TABLES span_rollup_1m AND span_rollup_1m_resorted;
DROP TABLE span_rollup_1m_resorted;

DROP TABLE IF EXISTS edge_rollup_1m_resorted;
CREATE TABLE edge_rollup_1m_resorted AS edge_rollup_1m
ENGINE = AggregatingMergeTree
PARTITION BY toDate(Minute)
ORDER BY (toStartOfHour(Minute), Client, Server, ServerKind, ConnectionType, Minute)
TTL Minute + toIntervalDay({{retention_days}})
SETTINGS index_granularity = 256;
INSERT INTO edge_rollup_1m_resorted SELECT * FROM edge_rollup_1m;
EXCHANGE TABLES edge_rollup_1m AND edge_rollup_1m_resorted;
DROP TABLE edge_rollup_1m_resorted;
