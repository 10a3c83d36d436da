-- Exact latency counts for SLOs: per minute and key, how many spans fell in each bucket of a fixed grid (every value
-- with two significant digits from 0.1 ms to 990 s, src/store/latency-grid.ts). "Share faster than T" is then an
-- exact count for any T on that grid, where a sketch could only estimate it. The map is sparse: a minute's spans
-- occupy a few dozen of the 631 buckets. Rows stored before this migration have an empty map, and latency SLIs
-- count only spans that have buckets (docs/slo.md).
ALTER TABLE {{local:span_rollup_1m}} {{on_cluster}}
    ADD COLUMN IF NOT EXISTS LatencyBuckets SimpleAggregateFunction(sumMap, Map(UInt16, UInt64));

DROP VIEW IF EXISTS span_rollup_1m_groups_mv {{on_cluster}};
DROP TABLE IF EXISTS span_timing_groups {{on_cluster}};
DROP TABLE IF EXISTS {{local:span_timing_groups}} {{on_cluster}};

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
    Environment LowCardinality(String),
    LatencyBucketIds Array(UInt64),
    LatencyBucketCounts Array(UInt64)
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
    Environment,
    mapFromArrays(arrayMap(i -> toUInt16(i), LatencyBucketIds), LatencyBucketCounts) AS LatencyBuckets
FROM {{local:span_timing_groups}};
