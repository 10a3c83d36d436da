-- Deployment environment as a dimension of the rollups: staging and production services of the same name are two
-- series, never one. The column goes at the end of the sorting key (ClickHouse allows adding a new column there in
-- the same ALTER), so existing rows (Environment '') keep their order and nothing is rewritten. The pairer's group
-- tables (Null engine) are recreated with the column last, and their views with it.
ALTER TABLE {{local:span_rollup_1m}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS Environment LowCardinality(String),
    MODIFY ORDER BY (toStartOfHour(Minute), ServiceName, SpanName, SpanKind, Minute, Environment);
ALTER TABLE {{local:edge_rollup_1m}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS Environment LowCardinality(String),
    MODIFY ORDER BY (toStartOfHour(Minute), Client, Server, ServerKind, ConnectionType, Minute, Environment);

DROP VIEW IF EXISTS span_rollup_1m_groups_mv {{on_cluster}};
DROP TABLE IF EXISTS span_timing_groups {{on_cluster}};
DROP TABLE IF EXISTS {{local:span_timing_groups}} {{on_cluster}};
DROP VIEW IF EXISTS edge_rollup_1m_groups_mv {{on_cluster}};
DROP TABLE IF EXISTS edge_call_groups {{on_cluster}};
DROP TABLE IF EXISTS {{local:edge_call_groups}} {{on_cluster}};

-- distribute: span_timing_groups by rand()
CREATE TABLE IF NOT EXISTS {{local:span_timing_groups}} {{on_cluster}}
(
    Minute DateTime,
    ServiceName LowCardinality(String),
    SpanName LowCardinality(String),
    SpanKind LowCardinality(String),
    Errors UInt64,
    Durations Array(UInt64),
    SelfTimes Array(UInt64),
    Environment LowCardinality(String)
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
    arrayReduce('quantilesDDState(0.005, 0.5)', SelfTimes) AS SelfSketch,
    Environment
FROM {{local:span_timing_groups}};

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
    ServerDurations Array(UInt64),
    Environment LowCardinality(String)
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
    arrayReduce('quantilesDDState(0.005, 0.5)', ServerDurations) AS ServerSketch,
    Environment
FROM {{local:edge_call_groups}};
