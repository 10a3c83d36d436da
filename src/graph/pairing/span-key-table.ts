/**
 * A hash map from span keys (non-negative integers below 2^52, see span-key.ts) to numbers, in typed arrays: linear
 * probing, deletion by backward shift, doubling at half full. Slots hold key + 1 so that 0 marks an empty one: a new
 * table needs no fill, and the OS maps its pages only when they are first used. Half a million pending spans held in a JS Map cost a
 * cache miss per lookup plus a GC-traced entry and key string each; here they cost 16 bytes the GC never looks at.
 */
const EMPTY = 0;

export class SpanKeyTable {
  private keys: Float64Array;
  private values: Float64Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keys = new Float64Array(cap);
    this.values = new Float64Array(cap);
    this.mask = cap - 1;
  }

  /** The value stored for `key`, or -1. */
  get(key: number): number {
    const keys = this.keys;
    const stored = key + 1;
    for (let i = bucketOf(key) & this.mask; ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === stored) return this.values[i]!;
      if (k === EMPTY) return -1;
    }
  }

  set(key: number, value: number): void {
    const keys = this.keys;
    const stored = key + 1;
    let i = bucketOf(key) & this.mask;
    for (; ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === stored) {
        this.values[i] = value;
        return;
      }
      if (k === EMPTY) break;
    }
    keys[i] = stored;
    this.values[i] = value;
    if (++this.size * 2 > keys.length) this.resize(keys.length * 2);
  }

  /** Deletes `key` when it maps to `value` (a colliding newer entry keeps its place). */
  delete(key: number, value: number): boolean {
    const keys = this.keys;
    const mask = this.mask;
    const stored = key + 1;
    let i = bucketOf(key) & mask;
    for (; ; i = (i + 1) & mask) {
      const k = keys[i]!;
      if (k === stored) break;
      if (k === EMPTY) return false;
    }
    if (this.values[i] !== value) return false;
    // Backward shift: move later entries of the probe run into the hole when their home bucket allows it.
    let hole = i;
    for (let j = (i + 1) & mask; keys[j] !== EMPTY; j = (j + 1) & mask) {
      const home = bucketOf(keys[j]! - 1) & mask;
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        keys[hole] = keys[j]!;
        this.values[hole] = this.values[j]!;
        hole = j;
      }
    }
    keys[hole] = EMPTY;
    this.size--;
    return true;
  }

  private resize(capacity: number): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== EMPTY) this.set(oldKeys[i]! - 1, oldValues[i]!);
  }
}

/** Mixes both halves of the key (murmur3's finaliser): ids are random, but a hand-made one may vary in few digits. */
function bucketOf(key: number): number {
  let h = (key >>> 0) ^ Math.imul((key / 4294967296) | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
