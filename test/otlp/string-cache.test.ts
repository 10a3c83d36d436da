import { describe, expect, it } from 'vitest';
import { StringCache } from '../../src/otlp/string-cache.js';

const decodeAll = (cache: StringCache, values: string[]) => {
  const buf = Buffer.concat(values.map((v) => Buffer.from(v, 'utf8')));
  const out: string[] = [];
  let pos = 0;
  for (const v of values) {
    const n = Buffer.byteLength(v, 'utf8');
    out.push(cache.decode(buf, pos, pos + n));
    pos += n;
  }
  return out;
};

describe('StringCache', () => {
  it('returns exactly the decoded string, cached or not, for repeats, near-collisions and non-ASCII', () => {
    // A 2-slot cache makes every value collide with others; strings differing only in the middle share a slot.
    const cache = new StringCache(2);
    const values = [
      'http.method',
      'GET',
      'abcdXXXXwxyz',
      'abcdYYYYwxyz',
      'é',
      'ünï ✓ 🚀',
      'a',
      'ab',
      '',
      'x'.repeat(64),
      'x'.repeat(65),
      'héllo',
    ];
    const inputs = [...values, ...values, ...values.reverse()];
    expect(decodeAll(cache, inputs)).toEqual(inputs);
  });

  it('hands out one shared copy of a repeated string', () => {
    const cache = new StringCache();
    const buf = Buffer.from('service.nameservice.name');
    expect(Object.is(cache.decode(buf, 0, 12), cache.decode(buf, 12, 24))).toBe(true);
  });

  it('decodes invalid UTF-8 as Buffer does and never confuses it with other bytes', () => {
    const cache = new StringCache(1);
    const bad = Buffer.from([0xff, 0xfe, 0x41, 0x42]);
    const good = Buffer.from([0x3f, 0x3f, 0x41, 0x42]);
    for (let i = 0; i < 3; i++) {
      expect(cache.decode(bad, 0, 4)).toBe(bad.toString('utf8'));
      expect(cache.decode(good, 0, 4)).toBe('??AB');
    }
  });
});
