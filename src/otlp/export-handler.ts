/** What both receivers do with a decoded request: count, hand valid spans to the sink, report partial success. */
import type { SelfMetrics } from '../self-metrics.js';
import { asFaultlineError } from '../errors.js';
import type { DecodedExport } from './decoded-export.js';
import type { ExportOutcome } from './export-response.js';
import type { SpanSink } from './span-sink.js';

export type Transport = 'grpc' | 'http';

/**
 * Which span start times are taken: not older than the retention (the TTL would delete them at once, and a request
 * spanning months would write a part per day it touches) and not further in the future than a clock-skew allowance.
 */
export interface TimePolicy {
  maxAgeMs: number;
  maxFutureMs: number;
}

export async function handleDecodedExport(
  decoded: DecodedExport,
  transport: Transport,
  sink: SpanSink,
  metrics: SelfMetrics,
  policy?: TimePolicy,
  deadlineMs?: number,
): Promise<ExportOutcome> {
  if (policy) applyTimePolicy(decoded, policy, Date.now());
  const { rejected, errorMessage } = decoded;
  const n = decoded.spans.length;
  metrics.spansReceived.inc({ transport }, n + rejected);
  if (rejected > 0) metrics.spansRejected.inc({ transport, reason: 'invalid' }, rejected);
  if (n > 0) {
    const committed = sink.accept(decoded.spans, deadlineMs);
    // The sink has taken what it needs: let the decoded spans be collected while the commit is awaited.
    decoded.spans = [];
    try {
      await committed;
    } catch (err) {
      metrics.spansRejected.inc({ transport, reason: asFaultlineError(err)?.code ?? 'internal' }, n);
      metrics.exportRequests.inc({ transport, outcome: asFaultlineError(err)?.code ?? 'internal' });
      throw err;
    }
    metrics.spansAccepted.inc({ transport }, n);
  }
  metrics.exportRequests.inc({ transport, outcome: rejected > 0 ? 'partial' : 'ok' });
  return { rejected, errorMessage };
}

/** Moves spans that start outside the policy's range from `spans` to the rejections, with the reason. */
export function applyTimePolicy(decoded: DecodedExport, policy: TimePolicy, nowMs: number): void {
  const oldest = BigInt(Math.max(0, nowMs - policy.maxAgeMs)) * 1_000_000n;
  const newest = BigInt(nowMs + policy.maxFutureMs) * 1_000_000n;
  let tooOld = 0;
  let tooNew = 0;
  for (const s of decoded.spans) {
    if (s.startNs < oldest) tooOld++;
    else if (s.startNs > newest) tooNew++;
  }
  if (tooOld + tooNew === 0) return;
  decoded.spans = decoded.spans.filter((s) => s.startNs >= oldest && s.startNs <= newest);
  const days = Math.round(policy.maxAgeMs / 86_400_000);
  const hours = Math.round(policy.maxFutureMs / 3_600_000);
  const reasons = [
    ...(tooOld > 0 ? [`${tooOld} span(s) start more than ${days} days ago (FAULTLINE_RETENTION_DAYS): they would be deleted at once`] : []),
    ...(tooNew > 0 ? [`${tooNew} span(s) start more than ${hours} h in the future (clock skew?)`] : []),
  ];
  decoded.rejected += tooOld + tooNew;
  decoded.errorMessage = [decoded.errorMessage, ...reasons].filter((m) => m !== '').join('; ');
}
