/**
 * The next level of a nested Map index, created on first use. Hot paths index by each key part in turn instead of
 * building (and hashing) a joined key string per row.
 */
export function childMap<K, V extends Map<unknown, unknown>>(map: Map<K, V>, key: K): V {
  let v = map.get(key);
  if (v === undefined) map.set(key, (v = new Map() as V));
  return v;
}
