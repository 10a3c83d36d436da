-- Guarded actions on a named origin (docs/slo.md): every decision, sent or not, appended once. The audit trail and
-- the guard in one: an incident with an action row for a URL never gets a second one without a person.
-- distribute: incident_actions by cityHash64(IncidentId)
CREATE TABLE IF NOT EXISTS {{local:incident_actions}} {{on_cluster}}
(
    IncidentId String,
    At DateTime64(3),
    Url String,
    Status LowCardinality(String),
    Origin String,
    Action String,
    IdempotencyKey String,
    Response String,
    Request String CODEC(ZSTD(3))
)
ENGINE = {{engine:MergeTree}}
ORDER BY (IncidentId, At);
