-- The spans of sampled traces near a period (a request's spans start within it, give or take the margin), with
-- only the attributes that name an uninstrumented peer or a messaging operation, the replica of the service that
-- emitted it, and its links (a consumer that starts its own trace links to the publish span). Times are ns since
-- the epoch, as strings (exact).
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
  AND Timestamp >= fromUnixTimestamp64Milli({start:Int64} - {marginMs:Int64})
  AND Timestamp < fromUnixTimestamp64Milli({end:Int64} + {marginMs:Int64})
LIMIT {maxSpans:UInt32}
