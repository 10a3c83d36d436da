/**
 * Canonical copies of repeated strings (service, operation and peer names): a waiting span points at the shared
 * copy instead of keeping its own decoded string alive. Starts over past `max` entries so unbounded names cannot
 * grow it; strings already handed out stay valid.
 */
export class StringInterner {
  private readonly map = new Map<string, string>();

  constructor(private readonly max = 100_000) {}

  intern(s: string): string {
    const c = this.map.get(s);
    if (c !== undefined) return c;
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(s, s);
    return s;
  }
}
