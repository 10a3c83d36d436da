/**
 * Singly linked lists of number pairs in typed arrays, with a free list: the pairer's child intervals (start and
 * end offset) and its lists of children waiting for a parent (arrival number). Nodes are recycled, so a busy
 * pairer allocates nothing per span once the pool has grown to its working size.
 */
export const NIL = -1;

export class LinkPool {
  a: Float64Array;
  b: Float64Array;
  next: Int32Array;
  private free = NIL;
  private used = 0;
  /** Nodes in lists (not free). */
  live = 0;

  constructor(initialCapacity = 1024) {
    this.a = new Float64Array(initialCapacity);
    this.b = new Float64Array(initialCapacity);
    this.next = new Int32Array(initialCapacity);
  }

  /** Pushes (a, b) in front of the list starting at `head`; returns the new head. */
  push(head: number, a: number, b: number): number {
    let n = this.free;
    if (n !== NIL) this.free = this.next[n]!;
    else {
      if (this.used === this.a.length) this.grow();
      n = this.used++;
    }
    this.a[n] = a;
    this.b[n] = b;
    this.next[n] = head;
    this.live++;
    return n;
  }

  /** Returns a whole list to the free list. */
  release(head: number): void {
    if (head === NIL) return;
    let last = head;
    this.live--;
    while (this.next[last] !== NIL) {
      last = this.next[last]!;
      this.live--;
    }
    this.next[last] = this.free;
    this.free = head;
  }

  private grow(): void {
    const cap = this.a.length * 2;
    const a = new Float64Array(cap);
    const b = new Float64Array(cap);
    const next = new Int32Array(cap);
    a.set(this.a);
    b.set(this.b);
    next.set(this.next);
    this.a = a;
    this.b = b;
    this.next = next;
  }
}
