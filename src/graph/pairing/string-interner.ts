/**
 * Canonical copies of repeated strings (service, operation and peer names): a waiting span points at the shared
 * copy instead of keeping its own decoded string alive. Starts over past `max` entries so unbounded names cannot
 * grow it; strings already handed out stay valid. Long strings are not kept: names that long do not repeat, and
 * 100,000 of them (say, 64 KB span names from a hostile client) would hold gigabytes.
 */
const MAX_INTERNED_CHARS = 512;

export class StringInterner {
  private readonly map = new Map<string, string>();

  constructor(private readonly max = 100_000) {}

  intern(s: string): string {
    if (s.length > MAX_INTERNED_CHARS) return s;
    const c = this.map.get(s);
    if (c !== undefined) return c;
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(s, s);
    return s;
  }
}
