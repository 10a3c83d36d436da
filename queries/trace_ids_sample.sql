-- Some stored trace ids, spread over the store (for benches that look traces up).
SELECT DISTINCT TraceId AS traceId
FROM otel_traces_trace_id_ts
WHERE cityHash64(TraceId) % 997 = 0
LIMIT {limit:UInt32}
