/** A failed analysis says why and what to do, and only a store outage is left to the planned retries. */
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/errors.js';
import { failedReport } from '../../src/rca/analysis-outcome.js';
import type { Report } from '../../src/rca/report.js';

const running: Report = {
  id: 'inc_1',
  status: 'running',
  service: 'frontend',
  window: { start: '2026-12-03T10:00:00.000Z', end: '2026-12-03T10:15:00.000Z' },
  baseline: { start: '2026-12-03T09:00:00.000Z', end: '2026-12-03T10:00:00.000Z' },
  candidates: [],
  graph: { nodes: [], edges: [] },
  createdAt: '2026-12-03T10:15:00.000Z',
  updatedAt: '2026-12-03T10:15:00.000Z',
};

describe('failedReport', () => {
  it('names the error and the reanalyze call for a failure that would repeat', () => {
    const r = failedReport(running, new TypeError("Cannot read properties of undefined (reading 'path')"));
    expect(r.status).toBe('failed');
    expect(r.error).toContain("reading 'path'");
    expect(r.error).toContain('not retried automatically: POST /api/v1/incidents/inc_1/reanalyze');
  });

  it('says a store outage is retried at the next planned analysis', () => {
    const r = failedReport(running, new StoreUnavailableError('connection refused'));
    expect(r.error).toMatch(/store was unavailable .*tries again at the next planned analysis/);
  });
});
