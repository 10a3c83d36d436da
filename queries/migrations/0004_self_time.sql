-- Self time (span duration minus the time covered by its direct children), computed by the graph pairer once a
-- span's children had time to arrive. Only the rollup is kept: the raw rows go through a Null table.
-- distribute: span_self_times by rand()
CREATE TABLE IF NOT EXISTS {{local:span_self_times}} {{on_cluster}}
(
    Timestamp DateTime64(9),
    ServiceName LowCardinality(String),
    SpanName LowCardinality(String),
    SpanKind LowCardinality(String),
    SelfTime UInt64
)
ENGINE = Null;

-- distribute: self_time_rollup_1m by rand()
CREATE TABLE IF NOT EXISTS {{local:self_time_rollup_1m}} {{on_cluster}}
(
    Minute DateTime CODEC(Delta(4), ZSTD(1)),
    ServiceName LowCardinality(String),
    SpanName LowCardinality(String),
    SpanKind LowCardinality(String),
    Spans SimpleAggregateFunction(sum, UInt64),
    SelfSketch AggregateFunction(quantilesDD(0.005, 0.5), UInt64)
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toDate(Minute)
ORDER BY (ServiceName, SpanName, SpanKind, Minute)
TTL Minute + toIntervalDay({{retention_days}});

CREATE MATERIALIZED VIEW IF NOT EXISTS self_time_rollup_1m_mv {{on_cluster}} TO {{local:self_time_rollup_1m}} AS
SELECT
    toStartOfMinute(Timestamp) AS Minute,
    ServiceName,
    SpanName,
    SpanKind,
    count() AS Spans,
    quantilesDDState(0.005, 0.5)(SelfTime) AS SelfSketch
FROM {{local:span_self_times}}
GROUP BY Minute, ServiceName, SpanName, SpanKind
