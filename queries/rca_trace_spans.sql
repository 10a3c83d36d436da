-- The spans of sampled traces between {from} and {to} (ms): the sampled requests' own extent give or take a margin
-- (request-traces.ts), which holds their whole subtrees, a long build's to its end. Not through the trace-id lookup
-- table: hundreds of random trace ids touch nearly every granule of it, which costs a scan of a week's lookup rows
-- (~0.5 s at 100M spans), while the requests' extent is known already. Ordered, so the span budget cuts the same
-- spans every time (same window, same answer). Only the attributes that name an uninstrumented peer or a messaging
-- operation, the replica of the service that emitted it, and its links (a consumer that starts its own trace links
-- to the publish span). Times are ns since the epoch, as strings (exact).
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
  AND Timestamp >= fromUnixTimestamp64Milli({from:Int64})
  AND Timestamp < fromUnixTimestamp64Milli({to:Int64})
ORDER BY TraceId, Timestamp, SpanId
LIMIT {maxSpans:UInt32}
