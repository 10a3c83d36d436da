-- One row per paired call A -> B (client span of A parent of server span of B), or per client span that names
-- an uninstrumented peer (virtual node). Written by the graph pairer; the graph of any window is read from here.
-- distribute: edge_calls by cityHash64(TraceId)
CREATE TABLE IF NOT EXISTS {{local:edge_calls}} {{on_cluster}}
(
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    Client LowCardinality(String),
    Server LowCardinality(String),
    ServerKind LowCardinality(String),
    ConnectionType LowCardinality(String),
    ClientDuration UInt64 CODEC(T64, ZSTD(1)),
    ServerDuration UInt64 CODEC(T64, ZSTD(1)),
    Failed UInt8
)
ENGINE = {{engine:MergeTree}}
PARTITION BY toDate(Timestamp)
ORDER BY (Client, Server, Timestamp)
TTL toDateTime(Timestamp) + toIntervalDay({{retention_days}})
SETTINGS ttl_only_drop_parts = 1;

-- Hour first in the key, as span_rollup_1m.
-- distribute: edge_rollup_1m by rand()
CREATE TABLE IF NOT EXISTS {{local:edge_rollup_1m}} {{on_cluster}}
(
    Minute DateTime CODEC(Delta(4), ZSTD(1)),
    Client LowCardinality(String),
    Server LowCardinality(String),
    ServerKind LowCardinality(String),
    ConnectionType LowCardinality(String),
    Calls SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64),
    ClientSketch AggregateFunction(quantilesDD(0.005, 0.5), UInt64),
    ServerSketch AggregateFunction(quantilesDD(0.005, 0.5), UInt64)
)
ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toDate(Minute)
ORDER BY (toStartOfHour(Minute), Client, Server, ServerKind, ConnectionType, Minute)
TTL Minute + toIntervalDay({{retention_days}})
SETTINGS index_granularity = 256;

CREATE MATERIALIZED VIEW IF NOT EXISTS edge_rollup_1m_mv {{on_cluster}} TO {{local:edge_rollup_1m}} AS
SELECT
    toStartOfMinute(Timestamp) AS Minute,
    Client,
    Server,
    ServerKind,
    ConnectionType,
    count() AS Calls,
    sum(Failed) AS Errors,
    quantilesDDState(0.005, 0.5)(ClientDuration) AS ClientSketch,
    quantilesDDStateIf(0.005, 0.5)(ServerDuration, ServerDuration > 0) AS ServerSketch
FROM {{local:edge_calls}}
GROUP BY Minute, Client, Server, ServerKind, ConnectionType
