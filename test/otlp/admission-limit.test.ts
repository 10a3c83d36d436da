/** The AIMD limit on export calls in flight: grows while answers are fast, shrinks when many of them are slow. */
import { describe, expect, it } from 'vitest';
import { AdmissionLimit } from '../../src/otlp/admission-limit.js';

describe('AdmissionLimit', () => {
  it('admits up to the limit and refuses beyond it until a call is released', () => {
    const limit = new AdmissionLimit({ targetMs: 1000, initial: 3, min: 1 });
    expect([limit.tryAcquire(), limit.tryAcquire(), limit.tryAcquire(), limit.tryAcquire()]).toEqual([true, true, true, false]);
    limit.release(0, 10);
    expect(limit.tryAcquire()).toBe(true);
    expect(limit.inFlight).toBe(3);
  });

  it('grows by up to one per round of fast answers while it is in use', () => {
    const limit = new AdmissionLimit({ targetMs: 1000, initial: 10 });
    for (let round = 0; round < 5; round++) {
      const n = limit.limit;
      for (let i = 0; i < n; i++) expect(limit.tryAcquire()).toBe(true);
      for (let i = 0; i < n; i++) limit.release(0, 100);
    }
    // Half of each round's answers come back while at least half the limit is in use: +0.5 per round.
    expect(limit.limit).toBe(12);
  });

  it('does not grow while mostly idle', () => {
    const limit = new AdmissionLimit({ targetMs: 1000, initial: 10 });
    for (let i = 0; i < 1000; i++) {
      limit.tryAcquire();
      limit.release(0, 5);
    }
    expect(limit.limit).toBe(10);
  });

  it('shrinks by 10% after an interval in which more than a tenth of the answers were slow, never below the minimum', () => {
    const limit = new AdmissionLimit({ targetMs: 1000, initial: 100, min: 4 });
    // Interval [0, 1000): 20 answers, 5 of them slow (25%). It is judged by the first answer after it.
    for (let i = 0; i < 20; i++) {
      limit.tryAcquire();
      limit.release(i * 50 - (i % 4 === 0 ? 3000 : 10), i * 50);
    }
    expect(limit.limit).toBe(100);
    limit.tryAcquire();
    limit.release(1000, 1000);
    expect(limit.limit).toBe(90);
    // Every answer slow, one interval after another: 10% less per interval.
    let now = 2000;
    for (let i = 0; i < 9; i++, now += 1000) {
      limit.tryAcquire();
      limit.release(now - 3000, now);
    }
    expect(limit.limit).toBe(38);
    const floor = new AdmissionLimit({ targetMs: 10, initial: 5, min: 4 });
    for (let i = 0, t = 100; i < 20; i++, t += 20) {
      floor.tryAcquire();
      floor.release(0, t);
    }
    expect(floor.limit).toBe(4);
  });

  it('does not shrink for a slow tail: one answer in a hundred beyond the target', () => {
    const limit = new AdmissionLimit({ targetMs: 1000, initial: 64 });
    // 10 s at 100 answers a second, 64 in flight; every hundredth answer takes 1.2 s, the rest 300 ms.
    for (let i = 0; i < 64; i++) limit.tryAcquire();
    for (let i = 0; i < 1000; i++) {
      const now = 10_000 + i * 10;
      limit.release(now - (i % 100 === 99 ? 1200 : 300), now);
      limit.tryAcquire();
    }
    expect(limit.limit).toBeGreaterThanOrEqual(64);
  });
});
