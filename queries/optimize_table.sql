-- Merges all parts of one table now (benchmarks: the merged state a long-running store reaches in the background).
OPTIMIZE TABLE {table:Identifier} FINAL
