-- Applied on every start when FAULTLINE_RETENTION_DAYS differs from the TTL the tables carry (the migrations set
-- the TTL only when they create a table). Rendered like a migration ({{local:t}}, {{on_cluster}}).
ALTER TABLE {{local:otel_traces}} {{on_cluster}} MODIFY TTL toDateTime(Timestamp) + toIntervalDay({{retention_days}});
ALTER TABLE {{local:span_rollup_1m}} {{on_cluster}} MODIFY TTL Minute + toIntervalDay({{retention_days}});
ALTER TABLE {{local:edge_rollup_1m}} {{on_cluster}} MODIFY TTL Minute + toIntervalDay({{retention_days}});
ALTER TABLE {{local:otel_traces_trace_id_ts}} {{on_cluster}} MODIFY TTL Start + toIntervalDay({{retention_days}});
