-- The spans of sampled traces, whole: the trace-id lookup table (0009) gives the traces' first and last span start,
-- so a long build is read to its end and only those minutes are scanned; traces without lookup rows (stored on a
-- cluster before 0009) fall back to the period give or take the margin. Ordered, so the span budget cuts the same
-- spans every time (same window, same answer). Only the attributes that name an uninstrumented peer or a messaging
-- operation, the replica of the service that emitted it, and its links (a consumer that starts its own trace links
-- to the publish span). Times are ns since the epoch, as strings (exact).
WITH
    (SELECT min(Start) FROM otel_traces_trace_id_ts WHERE TraceId IN {traceIds:Array(String)}) AS tracesStart,
    (SELECT max(End) + 1 FROM otel_traces_trace_id_ts WHERE TraceId IN {traceIds:Array(String)}) AS tracesEnd
SELECT
    TraceId AS traceId,
    SpanId AS spanId,
    ParentSpanId AS parentSpanId,
    ServiceName AS service,
    SpanName AS name,
    SpanKind AS kind,
    toString(toUnixTimestamp64Nano(Timestamp)) AS startNs,
    Duration AS durationNs,
    StatusCode = 'Error' AS failed,
    -- The replica that served it: service.instance.id, else the pod, else the host ('' when none is set).
    coalesce(nullIf(ResourceAttributes['service.instance.id'], ''), nullIf(ResourceAttributes['k8s.pod.name'], ''),
        ResourceAttributes['host.name']) AS instance,
    mapFilter((k, v) -> k IN ('peer.service', 'db.system', 'db.system.name', 'db.namespace', 'db.name',
        'messaging.system', 'messaging.destination.name', 'messaging.destination', 'server.address', 'net.peer.name',
        'server.port', 'net.peer.port', 'messaging.operation.type', 'messaging.operation'),
        SpanAttributes) AS peerAttributes,
    Links.TraceId AS linkTraceIds,
    Links.SpanId AS linkSpanIds
FROM otel_traces
WHERE TraceId IN {traceIds:Array(String)}
  AND (tracesStart = toDateTime(0)
         AND Timestamp >= fromUnixTimestamp64Milli({start:Int64} - {marginMs:Int64})
         AND Timestamp < fromUnixTimestamp64Milli({end:Int64} + {marginMs:Int64})
    OR tracesStart != toDateTime(0) AND Timestamp >= tracesStart AND Timestamp <= tracesEnd)
ORDER BY TraceId, Timestamp, SpanId
LIMIT {maxSpans:UInt32}
