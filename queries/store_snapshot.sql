-- Totals of the span and rollup tables (span count; calls, errors and merged p99s of both rollups): what a schema
-- rebuild must leave unchanged.
SELECT
    (SELECT count() FROM otel_traces) AS spans,
    (SELECT sum(Duration) FROM otel_traces) AS durationSum,
    (SELECT sum(Calls) FROM span_rollup_1m) AS rollupCalls,
    (SELECT sum(Errors) FROM span_rollup_1m) AS rollupErrors,
    (SELECT quantilesDDMerge(0.005, 0.99)(DurationSketch) FROM span_rollup_1m) AS rollupP99,
    (SELECT sum(Calls) FROM edge_rollup_1m) AS edgeCalls,
    (SELECT quantilesDDMerge(0.005, 0.99)(ClientSketch) FROM edge_rollup_1m) AS edgeP99
