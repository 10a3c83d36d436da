/** The analysis queue's order in a storm: new pages before re-analyses, deterministic (no timing). */
import { describe, expect, it } from 'vitest';
import { AnalysisQueue, type AnalysisKind } from '../../src/rca/analysis-queue.js';

/** A job that records its start and finishes when released. */
function gate() {
  const started: string[] = [];
  const release = new Map<string, () => void>();
  const job = (id: string) => (kind: AnalysisKind) => {
    started.push(`${kind}:${id}`);
    return new Promise<void>((r) => release.set(id, r));
  };
  const finish = async (id: string) => {
    release.get(id)!();
    await new Promise((r) => setImmediate(r));
  };
  return { started, job, finish };
}

describe('AnalysisQueue', () => {
  it('runs a first analysis before re-analyses that were queued earlier', async () => {
    const q = new AnalysisQueue({ concurrency: 1, scheduledShare: 1 });
    const g = gate();
    q.push('busy', 'first', g.job('busy'));
    for (const id of ['a', 'b', 'c']) q.push(id, 'scheduled', g.job(id));
    q.push('m', 'manual', g.job('m'));
    q.push('r', 'resolve', g.job('r'));
    q.push('new', 'first', g.job('new'));
    expect(g.started).toEqual(['first:busy']);
    for (const id of ['busy', 'new', 'r', 'm', 'a', 'b']) await g.finish(id);
    expect(g.started).toEqual(['first:busy', 'first:new', 'resolve:r', 'manual:m', 'scheduled:a', 'scheduled:b', 'scheduled:c']);
  });

  it('keeps one job per incident, raising a waiting one to the more urgent kind', async () => {
    const q = new AnalysisQueue({ concurrency: 1, scheduledShare: 1 });
    const g = gate();
    q.push('busy', 'first', g.job('busy'));
    q.push('x', 'scheduled', g.job('x'));
    q.push('y', 'scheduled', g.job('y'));
    q.push('y', 'first', g.job('y'));
    q.push('x', 'scheduled', g.job('x'));
    expect(q.depth).toBe(3);
    await g.finish('busy');
    expect(g.started.at(-1)).toBe('first:y');
    // A running incident is not queued twice: the caller is told to ask again afterwards.
    expect(q.push('y', 'manual', g.job('y'))).toBe(false);
  });

  it('never gives the last free slot to a scheduled re-analysis, so a page starts at once', () => {
    const q = new AnalysisQueue({ concurrency: 2, scheduledShare: 1 });
    const g = gate();
    for (const id of ['a', 'b', 'c']) q.push(id, 'scheduled', g.job(id));
    expect(g.started).toEqual(['scheduled:a']);
    q.push('page', 'first', g.job('page'));
    expect(g.started).toEqual(['scheduled:a', 'first:page']);
    expect(q.urgentWaiting).toBe(0);
  });

  it('bounds the share of analysis time scheduled re-analyses take over the last minute', async () => {
    let now = 0;
    const q = new AnalysisQueue({ concurrency: 2, scheduledShare: 0.25, now: () => now });
    const g = gate();
    q.push('a', 'scheduled', g.job('a'));
    now += 30_000; // a re-analysis that took 30 s: 30 s of the 120 slot-seconds in the minute = 25 %
    await g.finish('a');
    q.push('b', 'scheduled', g.job('b'));
    expect(g.started).toEqual(['scheduled:a']);
    // Pages are not held back by the bound.
    q.push('page', 'first', g.job('page'));
    expect(g.started).toEqual(['scheduled:a', 'first:page']);
    q.dropWaiting();
  });
});
