-- Per-span timings from the graph pairer (duration, self time, error), emitted once a span's children had time to
-- arrive. Only the rollup is kept: the rows go through a Null table. Rolling up from here rather than from
-- otel_traces keeps the raw insert (the export's commit) free of materialized-view work.
-- distribute: span_timings by rand()
CREATE TABLE IF NOT EXISTS {{local:span_timings}} {{on_cluster}}
(
    Timestamp DateTime64(9),
    ServiceName LowCardinality(String),
    SpanName LowCardinality(String),
    SpanKind LowCardinality(String),
    Duration UInt64,
    SelfTime UInt64,
    IsError UInt8
)
ENGINE = Null;

-- Per-minute rollup per service, operation and kind: calls, errors and DDSketches of duration and self time.
-- DDSketch (quantilesDD) bounds the *relative* error of every quantile (0.5% here), which is what a P99 comparison
-- needs; t-digest bounds the rank error instead, so a heavy tail can be off by much more in milliseconds.
-- Hour first in the key: the graph of a window (every service, a few minutes) reads only that window's hours,
-- and one service over a day still narrows to its rows inside each hour. Sketch states are heavy to read, so
-- granules are small (256 rows): one service's or edge's slice of an hour is then a granule or two, not all of it.
-- distribute: span_rollup_1m by rand()
CREATE TABLE IF NOT EXISTS {{local:span_rollup_1m}} {{on_cluster}}
(
    Minute DateTime CODEC(Delta(4), ZSTD(1)),
    ServiceName LowCardinality(String),
    SpanName LowCardinality(String),
    SpanKind LowCardinality(String),
    Calls SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64),
    DurationSketch AggregateFunction(quantilesDD(0.005, 0.5), UInt64),
    SelfSketch AggregateFunction(quantilesDD(0.005, 0.5), UInt64)
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toDate(Minute)
ORDER BY (toStartOfHour(Minute), ServiceName, SpanName, SpanKind, Minute)
TTL Minute + toIntervalDay({{retention_days}})
SETTINGS index_granularity = 256;

CREATE MATERIALIZED VIEW IF NOT EXISTS span_rollup_1m_mv {{on_cluster}} TO {{local:span_rollup_1m}} AS
SELECT
    toStartOfMinute(Timestamp) AS Minute,
    ServiceName,
    SpanName,
    SpanKind,
    count() AS Calls,
    sum(IsError) AS Errors,
    quantilesDDState(0.005, 0.5)(Duration) AS DurationSketch,
    quantilesDDState(0.005, 0.5)(SelfTime) AS SelfSketch
FROM {{local:span_timings}}
GROUP BY Minute, ServiceName, SpanName, SpanKind
