-- The bloom filters on the keys and values of ResourceAttributes (0009, as the exporter has them) go. A resource's
-- attributes are the same on every span it sends, and the table sorts by service, so a granule of one service holds
-- the same few resource maps: a filter on them rarely skips a granule. With the ~25 resource attributes an SDK in
-- Kubernetes sends, they cost 1.3-2.8 us of engine CPU per span at every insert (7.8-10.1 -> 6.5-7.3 us for
-- 15k-span inserts) and ~0.5-1 us at every merge. The span attribute filters stay: those vary from span to span.
ALTER TABLE {{local:otel_traces}} {{on_cluster}} DROP INDEX IF EXISTS idx_res_attr_key, DROP INDEX IF EXISTS idx_res_attr_value;
