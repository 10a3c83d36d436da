-- The pairer's rows reach the rollups grouped: one row per minute and key, with the values as arrays, instead of
-- one row per span or call. ClickHouse then converts a key's strings once per group, and no per-call edge table
-- is kept (nothing read it; it was ~12 bytes per span on disk). The rollup tables themselves are unchanged.
DROP VIEW IF EXISTS span_rollup_1m_mv {{on_cluster}};
DROP TABLE IF EXISTS span_timings {{on_cluster}};
DROP TABLE IF EXISTS {{local:span_timings}} {{on_cluster}};
DROP VIEW IF EXISTS edge_rollup_1m_mv {{on_cluster}};
DROP TABLE IF EXISTS edge_calls {{on_cluster}};
DROP TABLE IF EXISTS {{local:edge_calls}} {{on_cluster}};

-- Settled spans of one minute, service, operation and kind: errors, and every duration and self time (ns).
-- distribute: span_timing_groups by rand()
CREATE TABLE IF NOT EXISTS {{local:span_timing_groups}} {{on_cluster}}
(
    Minute DateTime,
    ServiceName LowCardinality(String),
    SpanName LowCardinality(String),
    SpanKind LowCardinality(String),
    Errors UInt64,
    Durations Array(UInt64),
    SelfTimes Array(UInt64)
)
ENGINE = Null;

CREATE MATERIALIZED VIEW IF NOT EXISTS span_rollup_1m_groups_mv {{on_cluster}} TO {{local:span_rollup_1m}} AS
SELECT
    Minute,
    ServiceName,
    SpanName,
    SpanKind,
    length(Durations) AS Calls,
    Errors,
    arrayReduce('quantilesDDState(0.005, 0.5)', Durations) AS DurationSketch,
    arrayReduce('quantilesDDState(0.005, 0.5)', SelfTimes) AS SelfSketch
FROM {{local:span_timing_groups}};

-- Calls of one minute and edge: failed calls, every client-side duration, and the server-side durations of the
-- calls that have a server span (none for a virtual node).
-- distribute: edge_call_groups by rand()
CREATE TABLE IF NOT EXISTS {{local:edge_call_groups}} {{on_cluster}}
(
    Minute DateTime,
    Client LowCardinality(String),
    Server LowCardinality(String),
    ServerKind LowCardinality(String),
    ConnectionType LowCardinality(String),
    Errors UInt64,
    ClientDurations Array(UInt64),
    ServerDurations Array(UInt64)
)
ENGINE = Null;

CREATE MATERIALIZED VIEW IF NOT EXISTS edge_rollup_1m_groups_mv {{on_cluster}} TO {{local:edge_rollup_1m}} AS
SELECT
    Minute,
    Client,
    Server,
    ServerKind,
    ConnectionType,
    length(ClientDurations) AS Calls,
    Errors,
    arrayReduce('quantilesDDState(0.005, 0.5)', ClientDurations) AS ClientSketch,
    arrayReduce('quantilesDDState(0.005, 0.5)', ServerDurations) AS ServerSketch
FROM {{local:edge_call_groups}};
