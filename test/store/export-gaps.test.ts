import { describe, expect, it } from 'vitest';
import { ExportGaps } from '../../src/store/export-gaps.js';

/** Feeds exports that arrive `gapMs` after the previous one was taken and take `workMs` to encode. */
function feed(gaps: ExportGaps, n: number, gapMs: number, workMs: number, start = 1000): number {
  let t = start;
  for (let i = 0; i < n; i++) {
    t += gapMs;
    gaps.arrived(t);
    t += workMs;
    gaps.taken(t);
  }
  return t;
}

describe('ExportGaps', () => {
  it('has no opinion before it has seen enough exports: the writer lingers the full delay', () => {
    const gaps = new ExportGaps();
    feed(gaps, 10, 5, 1);
    expect(gaps.quietMs()).toBe(Infinity);
  });

  it('a stream: quiet after four typical gaps', () => {
    const gaps = new ExportGaps();
    feed(gaps, 40, 5, 1);
    expect(gaps.quietMs()).toBe(20);
  });

  it("a burst queued behind the writer's own work: the time spent encoding does not count as a gap", () => {
    const gaps = new ExportGaps();
    // 16 exports sent at once, each taking 2 ms to encode, then a 100 ms wait for acks, twice over.
    let t = feed(gaps, 16, 0.1, 2);
    t = feed(gaps, 1, 100, 2, t);
    feed(gaps, 15, 0.1, 2, t);
    expect(gaps.quietMs()).toBe(2); // four gaps of 0.1 ms, raised to the 2 ms floor
  });

  it('a round is complete once as many exports arrived after the last acknowledgement as it acknowledged', () => {
    const gaps = new ExportGaps();
    feed(gaps, 5, 1, 1);
    expect(gaps.roundComplete()).toBe(false); // nothing acknowledged yet: no round to compare with
    gaps.acknowledged(3);
    let t = feed(gaps, 2, 1, 1, 2000);
    expect(gaps.roundComplete()).toBe(false);
    t = feed(gaps, 1, 1, 1, t);
    expect(gaps.roundComplete()).toBe(true);
    gaps.acknowledged(4); // exports that came before this acknowledgement do not count towards the next round
    expect(gaps.roundComplete()).toBe(false);
    t = feed(gaps, 4, 1, 1, t);
    expect(gaps.roundComplete()).toBe(true);
    gaps.acknowledged(0); // a failed write acknowledged nothing: no round, however many exports come
    feed(gaps, 10, 1, 1, t);
    expect(gaps.roundComplete()).toBe(false);
  });
});
