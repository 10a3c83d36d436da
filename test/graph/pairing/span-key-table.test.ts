import { describe, expect, it } from 'vitest';
import { SpanKeyTable } from '../../../src/graph/pairing/span-key-table.js';
import { spanKeyOf, traceFingerprintOf } from '../../../src/graph/pairing/span-key.js';
import { Random } from '../../sim/random.js';

describe('SpanKeyTable', () => {
  it('agrees with a Map over random inserts, overwrites and deletes while it grows', () => {
    const rnd = new Random(17);
    const table = new SpanKeyTable(4);
    const map = new Map<number, number>();
    const keys: number[] = [];
    for (let op = 0; op < 200_000; op++) {
      const r = rnd.next();
      if (r < 0.55 || keys.length === 0) {
        // Clustered keys (small, consecutive) as well as random 52-bit ones, to exercise long probe runs.
        const key = rnd.next() < 0.3 ? Math.floor(rnd.next() * 5000) : Math.floor(rnd.next() * 2 ** 52);
        table.set(key, op);
        map.set(key, op);
        keys.push(key);
      } else {
        const key = keys[Math.floor(rnd.next() * keys.length)]!;
        const value = map.get(key);
        if (value === undefined) expect(table.delete(key, 0)).toBe(false);
        else {
          expect(table.delete(key, value + 1)).toBe(false); // only when it still maps to the expected value
          expect(table.delete(key, value)).toBe(true);
          map.delete(key);
        }
      }
    }
    expect(table.size).toBe(map.size);
    for (const key of keys) expect(table.get(key)).toBe(map.get(key) ?? -1);
  });
});

describe('span keys', () => {
  it('reads the last 13 hex digits of a span id and the last 8 of a trace id, in either case', () => {
    expect(spanKeyOf('')).toBe(-1);
    expect(spanKeyOf('ffffffffffffffff')).toBe(2 ** 52 - 1);
    expect(spanKeyOf('0000000000000001')).toBe(1);
    expect(spanKeyOf('123456789ABCDEF0')).toBe(spanKeyOf('123456789abcdef0'));
    expect(spanKeyOf('123456789abcdef0')).toBe(0x456789abcdef0);
    expect(traceFingerprintOf('0af7651916cd43dd8448eb211c80319c')).toBe(0x1c80319c);
    expect(traceFingerprintOf('000000000000000000000000ffffffff')).toBe(-1);
  });
});
