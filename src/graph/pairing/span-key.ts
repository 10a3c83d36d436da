/**
 * Numeric keys for hex ids, so the pairer indexes typed arrays instead of holding id strings. The low 52 bits of a
 * span id (its last 13 hex digits) fit a double exactly; the last 8 hex digits of a trace id check a match. Both
 * take the trailing digits because some trace id formats (X-Ray) put a timestamp in front.
 */

function hexDigit(c: number): number {
  // '0'-'9' -> 0-9; 'a'-'f' and 'A'-'F' -> 10-15 (ids are validated hex before they get here).
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

function hexValue(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 16 + hexDigit(s.charCodeAt(i));
  return v;
}

/** The low 52 bits of a hex span id as an exact integer; -1 for '' (no parent). */
export function spanKeyOf(hexId: string): number {
  const n = hexId.length;
  if (n === 0) return -1;
  return hexValue(hexId, Math.max(0, n - 13), n);
}

/** The low 32 bits of a hex trace id, as a signed 32-bit integer (what an Int32Array holds). */
export function traceFingerprintOf(hexId: string): number {
  const n = hexId.length;
  return hexValue(hexId, Math.max(0, n - 8), n) | 0;
}
