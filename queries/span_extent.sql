-- How many spans are stored and when the newest one started (ms since the epoch): for benches reusing a store.
SELECT count() AS spans, toUnixTimestamp64Milli(max(Timestamp)) AS lastMs
FROM otel_traces
