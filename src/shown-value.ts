/**
 * A value from a request, as an error message may quote it: short strings and scalars verbatim, containers by type
 * only (quoting them would mean serialising input of any size or depth, which is how a bad request becomes a 500).
 */
export function shownValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 100 ? `${v.slice(0, 100)}...` : v);
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || v === undefined) return String(v);
  return Array.isArray(v) ? 'an array' : `a${typeof v === 'object' ? 'n object' : ` ${typeof v}`}`;
}
