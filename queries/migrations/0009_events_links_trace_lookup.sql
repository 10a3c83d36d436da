-- otel_traces as the Collector's clickhouseexporter writes it: Events and Links (Grafana's ClickHouse datasource
-- selects Events.* and Links.* in its OTel trace view, and the exporter's 22-column INSERT names them), the
-- exporter's bloom-filter indexes on the attribute maps, and its trace-id lookup table: a trace's first and last
-- span start by trace id, so reading one trace touches only the minutes it spans instead of every part.
-- Cluster mode: the shard-local tables get the columns and indexes, the table over all shards the columns (on one
-- node the second ALTER finds the columns there already). 0010 fills the lookup table for traces stored before.
ALTER TABLE {{local:otel_traces}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS Events Nested(Timestamp DateTime64(9), Name LowCardinality(String), Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(1)),
    ADD COLUMN IF NOT EXISTS Links Nested(TraceId String, SpanId String, TraceState String, Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(1)),
    ADD INDEX IF NOT EXISTS idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    ADD INDEX IF NOT EXISTS idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    ADD INDEX IF NOT EXISTS idx_span_attr_key mapKeys(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    ADD INDEX IF NOT EXISTS idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1;
ALTER TABLE otel_traces {{on_cluster}}
    ADD COLUMN IF NOT EXISTS Events Nested(Timestamp DateTime64(9), Name LowCardinality(String), Attributes Map(LowCardinality(String), String)),
    ADD COLUMN IF NOT EXISTS Links Nested(TraceId String, SpanId String, TraceState String, Attributes Map(LowCardinality(String), String));

-- distribute: otel_traces_trace_id_ts by cityHash64(TraceId)
CREATE TABLE IF NOT EXISTS {{local:otel_traces_trace_id_ts}} {{on_cluster}}
(
    TraceId String CODEC(ZSTD(1)),
    Start DateTime CODEC(Delta(4), ZSTD(1)),
    End DateTime CODEC(Delta(4), ZSTD(1)),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = {{engine:MergeTree}}
PARTITION BY toDate(Start)
ORDER BY (TraceId, Start)
TTL Start + toIntervalDay({{retention_days}})
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS otel_traces_trace_id_ts_mv {{on_cluster}} TO {{local:otel_traces_trace_id_ts}} AS
SELECT
    TraceId,
    min(Timestamp) AS Start,
    max(Timestamp) AS End
FROM {{local:otel_traces}}
WHERE TraceId != ''
GROUP BY TraceId;

-- 0008 added Environment to the shard-local rollups only; a cluster's rollups over all shards get it here.
ALTER TABLE span_rollup_1m {{on_cluster}} ADD COLUMN IF NOT EXISTS Environment LowCardinality(String);
ALTER TABLE edge_rollup_1m {{on_cluster}} ADD COLUMN IF NOT EXISTS Environment LowCardinality(String);
