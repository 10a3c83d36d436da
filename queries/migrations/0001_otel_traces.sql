-- Raw spans, close to the OTel Collector clickhouseexporter's otel_traces so Grafana's ClickHouse plugin reads it.
-- Random ids are most of a span's bytes. Sorting by trace within a service's minute puts a trace's spans of one
-- service side by side (server span, its client spans), so TraceId and ParentSpanId repeat and compress: ~35 bytes
-- per span instead of ~42 sorted by operation and time. The key still narrows any window to each service's minutes.
-- ZSTD(3) on ids and timestamps saves ~2 bytes per span over ZSTD(1).
-- distribute: otel_traces by cityHash64(TraceId)
CREATE TABLE IF NOT EXISTS {{local:otel_traces}} {{on_cluster}}
(
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(3)),
    TraceId String CODEC(ZSTD(3)),
    SpanId String CODEC(ZSTD(3)),
    ParentSpanId String CODEC(ZSTD(3)),
    TraceState String CODEC(ZSTD(1)),
    SpanName LowCardinality(String) CODEC(ZSTD(1)),
    SpanKind LowCardinality(String) CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributes Map(LowCardinality(String), LowCardinality(String)) CODEC(ZSTD(1)),
    ScopeName LowCardinality(String) CODEC(ZSTD(1)),
    ScopeVersion LowCardinality(String) CODEC(ZSTD(1)),
    SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    Duration UInt64 CODEC(T64, ZSTD(1)),
    StatusCode LowCardinality(String) CODEC(ZSTD(1)),
    StatusMessage String CODEC(ZSTD(1)),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_duration Duration TYPE minmax GRANULARITY 1
)
ENGINE = {{engine:MergeTree}}
PARTITION BY toDate(Timestamp)
PRIMARY KEY (ServiceName, toStartOfMinute(Timestamp))
ORDER BY (ServiceName, toStartOfMinute(Timestamp), TraceId)
TTL toDateTime(Timestamp) + toIntervalDay({{retention_days}})
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1
