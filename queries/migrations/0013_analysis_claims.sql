-- Several faultline instances over one ClickHouse may all receive the same Alertmanager page (docs/scaling.md). The
-- incident is one row (its id comes from the alert), and its analysis runs once: each instance claims it here and the
-- earliest claim (server time, so in insertion order on one server) owns it.
-- distribute: analysis_claims by cityHash64(IncidentId)
CREATE TABLE IF NOT EXISTS {{local:analysis_claims}} {{on_cluster}}
(
    IncidentId String,
    Kind LowCardinality(String),
    Instance String,
    At DateTime64(6)
)
ENGINE = {{engine:MergeTree}}
ORDER BY (IncidentId, Kind, At)
TTL toDateTime(At) + toIntervalDay(7);
