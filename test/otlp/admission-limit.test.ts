/** The AIMD limit on export calls in flight: grows while answers are fast, shrinks when they are slow. */
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

  it('shrinks by 10% per slow answer, at most once per target interval, never below the minimum', () => {
    const limit = new AdmissionLimit({ targetMs: 1000, initial: 100, min: 4 });
    for (let i = 0; i < 10; i++) limit.tryAcquire();
    limit.release(0, 5000);
    expect(limit.limit).toBe(90);
    limit.release(0, 5500); // within a second of the last decrease: no further cut
    expect(limit.limit).toBe(90);
    let now = 7000;
    for (let i = 0; i < 8; i++, now += 1001) limit.release(now - 3000, now);
    expect(limit.limit).toBe(38);
    const floor = new AdmissionLimit({ targetMs: 10, initial: 5, min: 4 });
    for (let i = 0, t = 100; i < 20; i++, t += 20) {
      floor.tryAcquire();
      floor.release(0, t);
    }
    expect(floor.limit).toBe(4);
  });
});
