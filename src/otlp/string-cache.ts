/**
 * Decoded strings by their bytes, for the short strings that repeat from span to span (attribute keys, span names,
 * most attribute values). A hit skips the call into Buffer's UTF-8 decoder and the allocation, and spans in flight
 * then share one copy; a property key that is already a known string also stores faster.
 * Direct-mapped by length and the first and last 4 bytes; only ASCII strings are kept, so a hit is a byte compare.
 */
const MAX_CACHED_BYTES = 64;

export class StringCache {
  private readonly strings: (string | undefined)[];
  private readonly mask: number;

  /** `slots` must be a power of two. */
  constructor(slots = 4096) {
    this.strings = new Array<string | undefined>(slots).fill(undefined);
    this.mask = slots - 1;
  }

  decode(buf: Buffer, start: number, end: number): string {
    const n = end - start;
    if (n === 0) return '';
    if (n > MAX_CACHED_BYTES) return buf.toString('utf8', start, end);
    let h = Math.imul(n, 0x9e3779b1);
    if (n >= 4) {
      h ^= Math.imul(buf[start]! | (buf[start + 1]! << 8) | (buf[start + 2]! << 16) | (buf[start + 3]! << 24), 0x85ebca6b);
      h ^= Math.imul(buf[end - 4]! | (buf[end - 3]! << 8) | (buf[end - 2]! << 16) | (buf[end - 1]! << 24), 0xc2b2ae35);
    } else h ^= Math.imul(buf[start]! | (buf[end - 1]! << 8), 0x85ebca6b);
    const slot = (h ^ (h >>> 15)) & this.mask;
    const cached = this.strings[slot];
    if (cached !== undefined && cached.length === n) {
      let i = 0;
      while (i < n && cached.charCodeAt(i) === buf[start + i]) i++;
      if (i === n) return cached;
    }
    const s = buf.toString('utf8', start, end);
    // Same length as its bytes: ASCII (or invalid bytes decoded as U+FFFD, which never compare equal to a byte).
    if (s.length === n) this.strings[slot] = s;
    return s;
  }
}
