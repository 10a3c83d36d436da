-- Raw spans are merged less often: a merge is chosen only once it can join about 12 parts of similar size instead
-- of 5 (ClickHouse's default), so each span is rewritten fewer times on its way to a large part. At a steady
-- ~80k spans/s on 2 cores, merges of otel_traces took 0.80 cores with the default base 5, 0.60 with 10, 0.47 with
-- 20, for 7, 15 and 31 active parts after 100 s (more parts, a little more work per query). Needs ClickHouse 24.11
-- or later (the setting appeared there); chDB has it. Sustained ingest (`npm run bench:sustained`): ~95k -> ~99k spans/s.
ALTER TABLE {{local:otel_traces}} {{on_cluster}} MODIFY SETTING merge_selector_base = 12;
ALTER TABLE {{local:otel_traces_trace_id_ts}} {{on_cluster}} MODIFY SETTING merge_selector_base = 12;
