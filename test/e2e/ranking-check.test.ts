/** The e2e checker must be able to fail: wrong top candidate, wrong verdict, unfinished or missing reports. */
import { describe, expect, it } from 'vitest';
import type { Candidate, Report } from '../../src/rca/report.js';
import { checkRanking } from './ranking-check.js';
import { candidateFixture } from '../helpers/candidate.js';

const candidate = (service: string, verdict: Candidate['verdict'], rank: number): Candidate =>
  candidateFixture({ service, verdict, rank, score: verdict === 'origin' ? 0.9 : 0, confidence: verdict === 'origin' ? 0.9 : 0 });
const report = (candidates: Candidate[], status: Report['status'] = 'done'): Report => ({
  id: 'inc_1',
  status,
  service: 'frontend',
  window: { start: '', end: '' },
  baseline: { start: '', end: '' },
  candidates,
  graph: { nodes: [], edges: [] },
  createdAt: '',
  updatedAt: '',
});

describe('checkRanking', () => {
  it('passes when the expected service is first as the origin', () => {
    expect(checkRanking(report([candidate('inventory', 'origin', 1), candidate('cart', 'victim', 2)]), 'inventory').ok).toBe(true);
  });
  it('fails when another service is ranked first', () => {
    const v = checkRanking(report([candidate('cart', 'origin', 1), candidate('inventory', 'victim', 2)]), 'inventory');
    expect(v.ok).toBe(false);
    expect(v.message).toContain('got cart');
    expect(v.message).toContain('rank 2');
  });
  it('fails when the right service is first but not called the origin', () => {
    expect(checkRanking(report([candidate('inventory', 'insufficient_data', 1)]), 'inventory').ok).toBe(false);
  });
  it('fails for unfinished, empty or missing reports', () => {
    expect(checkRanking(report([candidate('inventory', 'origin', 1)], 'running'), 'inventory').ok).toBe(false);
    expect(checkRanking(report([]), 'inventory').ok).toBe(false);
    expect(checkRanking(undefined, 'inventory').ok).toBe(false);
  });
});
