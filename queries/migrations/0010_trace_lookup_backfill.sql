-- single-node only
-- Traces stored before 0009 get their lookup rows (a no-op on a new store). A rerun after an interruption adds
-- duplicate rows, which change no trace's min(Start) or max(End). A cluster skips this (an INSERT ... SELECT runs on
-- one node); there, traces older than the upgrade are found by the slower scan the lookup falls back to.
INSERT INTO otel_traces_trace_id_ts
SELECT TraceId, min(Timestamp) AS Start, max(Timestamp) AS End
FROM otel_traces
WHERE TraceId != ''
GROUP BY TraceId;
