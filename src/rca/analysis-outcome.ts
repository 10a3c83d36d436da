/** What an incident's report becomes after one analysis: its result added to the history, or the failure said. */
import { createHash } from 'node:crypto';
import { StoreUnavailableError } from '../errors.js';
import { isoTime } from '../time-units.js';
import type { AnalysisRequest, AnalysisResult } from './analyze.js';
import type { Report } from './report.js';

/** The report with the analysis' result, one more history entry, and the time to root cause once one is named. */
export function analysedReport(
  stored: Report,
  running: Report,
  result: AnalysisResult,
  completeMs: number,
  atMs: number,
  startsAtMs: number,
): Report {
  const top = result.candidates[0];
  return {
    ...running,
    ...result,
    status: 'done',
    dataCompleteUntil: isoTime(completeMs),
    history: [
      ...(stored.history ?? []),
      { at: isoTime(atMs), top: top?.service ?? '', confidence: top?.confidence ?? 0, verdict: result.verdict, window: running.window },
    ],
    timeToRootCauseSeconds:
      stored.timeToRootCauseSeconds ?? (result.verdict === 'origin_found' ? Math.max(0, Math.round((atMs - startsAtMs) / 1000)) : null),
  };
}

/** The report of an analysis that failed, with a reason a person can act on. */
export function failedReport(running: Report, err: unknown): Report {
  const message = err instanceof Error ? err.message : String(err);
  return {
    ...running,
    status: 'failed',
    error:
      err instanceof StoreUnavailableError
        ? `the store was unavailable (${message}); faultline tries again at the next planned analysis`
        : `the analysis failed (${message}); not retried automatically: POST /api/v1/incidents/${running.id}/reanalyze tries again`,
  };
}

/** POST /api/v1/rca's report: not an incident, so a fresh id and no history. */
export function requestedReport(req: AnalysisRequest, result: AnalysisResult, completeMs: number, analysisMs: number): Report {
  const now = isoTime(Date.now());
  return {
    id: `rca_${createHash('sha256')
      .update(JSON.stringify(req) + Math.random())
      .digest('hex')
      .slice(0, 16)}`,
    status: 'done',
    service: req.service,
    ...(req.operation ? { operation: req.operation } : {}),
    ...(req.environment ? { environment: req.environment } : {}),
    window: { start: isoTime(req.windowStartMs), end: isoTime(req.windowEndMs) },
    baseline: { start: isoTime(req.baselineStartMs), end: isoTime(req.baselineEndMs) },
    ...result,
    dataCompleteUntil: isoTime(completeMs),
    createdAt: now,
    updatedAt: now,
    analysisMs: Math.round(analysisMs),
  };
}
