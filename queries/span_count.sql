-- Stored spans, optionally for one service.
SELECT count() AS count
FROM otel_traces
WHERE ({service:String} = '' OR ServiceName = {service:String})
