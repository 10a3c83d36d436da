-- The guarded actions recorded for one incident, oldest first (the incident page, and the guard against a second send).
SELECT
    toUnixTimestamp64Milli(At) AS atMs,
    Url AS url,
    Status AS status,
    Origin AS origin,
    Action AS action,
    IdempotencyKey AS idempotencyKey,
    Response AS response
FROM incident_actions
WHERE IncidentId = {incidentId:String}
ORDER BY At, Status
