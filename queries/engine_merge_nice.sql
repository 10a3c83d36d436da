-- The nice value the engine runs merge steps at (os_threads_nice_value_merge_mutate; src/store/merge-priority.ts).
SELECT toInt32(value) AS nice
FROM system.server_settings
WHERE name = 'os_threads_nice_value_merge_mutate'
