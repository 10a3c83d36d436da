/** How sure and how big apart: "too close to call" only for close contenders; a small clear mover is named as such. */
import { describe, expect, it } from 'vitest';
import { isClearLead, summarize } from '../../src/rca/ranking-summary.js';
import type { AnomalySize, Candidate } from '../../src/rca/report.js';
import { candidateFixture } from '../helpers/candidate.js';

const candidate = (service: string, score: number, confidence: number): Candidate =>
  candidateFixture({ service, score, confidence, verdict: 'suspect', reason: `${service} adds more time.` });
const small: AnomalySize = { meanRisePct: 6.2, tailRisePct: 9.5, errorRisePoints: 0, strength: 0.38 };

describe('summarize', () => {
  it('a small anomaly with one clear mover names it and says the anomaly is small, not "too close to call"', () => {
    const s = summarize('front', [candidate('db', 0.9, 0.35), candidate('cache', 0.09, 0)], 'inconclusive', 300, 900, small);
    expect(s).not.toMatch(/too close to call/i);
    expect(s).toMatch(/^db is what moved most \(score 0\.9, next cache at 0\.09\)/);
    expect(s).toContain('small (mean +6.2%, slowest tenth +9.5%)');
  });

  it('two close contenders are too close to call', () => {
    const s = summarize('front', [candidate('db', 0.5, 0.45), candidate('cache', 0.4, 0.3)], 'inconclusive', 300, 900, small);
    expect(s).toMatch(/^Too close to call between db \(score 0\.5\) and cache \(score 0\.4\)/);
  });

  it('a clear lead is under half the leader', () => {
    expect(isClearLead(0.6, 0.29)).toBe(true);
    expect(isClearLead(0.6, 0.3)).toBe(false);
    expect(isClearLead(0, 0)).toBe(false);
  });
});
