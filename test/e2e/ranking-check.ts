/** The e2e test's verdict on a report: is the faulty service ranked first, as the origin? */
import type { Report } from '../../src/rca/report.js';

export interface RankingVerdict {
  ok: boolean;
  message: string;
}

export function checkRanking(report: Report | undefined, expected: string): RankingVerdict {
  if (!report) return { ok: false, message: 'no incident was opened' };
  if (report.status !== 'done')
    return { ok: false, message: `analysis status is ${report.status}${report.error ? `: ${report.error}` : ''}` };
  const top = report.candidates[0];
  if (!top) return { ok: false, message: `no candidates (${report.summary ?? 'no summary'})` };
  if (top.service !== expected) {
    const where = report.candidates.find((c) => c.service === expected);
    return {
      ok: false,
      message: `expected ${expected} first, got ${top.service} (score ${top.score}); ${expected} is ${where ? `rank ${where.rank}` : 'absent'}`,
    };
  }
  if (top.verdict !== 'origin') return { ok: false, message: `${expected} is first but its verdict is ${top.verdict}: ${top.reason}` };
  return { ok: true, message: `${expected} ranked first: ${top.reason}` };
}
