/** Bounds the label sets of one metric: past `max` distinct sets, new ones collapse into `other` for the chosen labels. */
export class LabelLimiter {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  /** True when this key may keep its own series. */
  admit(key: string): boolean {
    if (this.seen.has(key)) return true;
    if (this.seen.size >= this.max) return false;
    this.seen.add(key);
    return true;
  }
}
