/**
 * Which operation got slow: a candidate's critical-path time per request by operation (the span name whose time it
 * was: `SELECT shop.stock`, `GET`, `POST /checkout`), window vs baseline, the three that rose most. Two faults on one
 * database then read differently, and the person paged knows which query to look at.
 */
import type { OperationEvidence } from './report.js';
import type { RequestProfile } from './request-profile.js';

const TOP = 3;

export function topOperations(key: string, cur: RequestProfile, base: RequestProfile): OperationEvidence[] {
  const now = cur.operations.get(key);
  if (!now || cur.requests === 0) return [];
  const before = base.operations.get(key);
  const perRequest = (ms: number | undefined, n: number) => (n > 0 ? (ms ?? 0) / n : 0);
  return [...new Set([...now.keys(), ...(before?.keys() ?? [])])]
    .map((name) => ({
      name,
      msPerRequest: {
        baseline: round(perRequest(before?.get(name), base.requests)),
        current: round(perRequest(now.get(name), cur.requests)),
      },
    }))
    .filter((o) => o.msPerRequest.current > o.msPerRequest.baseline)
    .sort((a, b) => b.msPerRequest.current - b.msPerRequest.baseline - (a.msPerRequest.current - a.msPerRequest.baseline))
    .slice(0, TOP);
}

const round = (x: number): number => Math.round(x * 10) / 10;
