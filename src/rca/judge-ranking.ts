/**
 * How sure the ranking is. Each candidate's confidence is its share of the sharpened scores (scores cubed, so a
 * clear leader takes most of the mass and two near-equal ones split it), where the part of the anomaly no candidate
 * explains competes as one more contender, times how clear the anomaly itself is.
 * The exponent and thresholds were calibrated on `npm run bench:rca` (reliability table in docs/rca.md).
 */
import type { ReportVerdict } from './report.js';

export interface JudgeInput {
  /** Sorted by score, best first. */
  contributions: readonly { score: number }[];
  /** How large the latency and the failure anomaly of the alerting service are, each in [0, 1]. */
  latWeight: number;
  errWeight: number;
  thin: boolean;
  currentRequests: number;
  baselineRequests: number;
}

export interface Judgement {
  verdict: ReportVerdict;
  /** Same order as the contributions, each in [0, 1]. */
  confidences: number[];
}

const SHARPNESS = 3;
/** Below this the top candidate is not called the origin. */
export const ORIGIN_CONFIDENCE = 0.6;

export function judgeRanking(input: JudgeInput): Judgement {
  const powered = input.contributions.map((c) => c.score ** SHARPNESS);
  const unexplained = Math.max(0, 1 - input.contributions.reduce((a, c) => a + c.score, 0));
  const total = powered.reduce((a, b) => a + b, 0) + unexplained ** SHARPNESS;
  const anomaly = Math.min(1, input.latWeight + input.errWeight);
  // Thin data: trust grows with the smaller of the two request counts (full at 100).
  const volume = Math.min(1, Math.sqrt(Math.min(input.currentRequests, input.baselineRequests) / 100));
  const confidences = powered.map((p) => (total > 0 ? round((p / total) * anomaly * (0.5 + 0.5 * volume)) : 0));
  const top = confidences[0] ?? 0;
  const verdict: ReportVerdict = input.thin ? 'insufficient_data' : top >= ORIGIN_CONFIDENCE ? 'origin_found' : 'inconclusive';
  return { verdict, confidences };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
