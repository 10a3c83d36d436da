/** The queues a candidate consumes, with their publish -> process lag per message in both periods (evidence only). */
import type { QueueLagEvidence } from './report.js';
import type { RequestProfile } from './request-profile.js';

const round = (x: number): number => Math.round(x * 10) / 10;

export function queueLagOf(candidate: string, cur: RequestProfile, base: RequestProfile): QueueLagEvidence[] {
  const out: QueueLagEvidence[] = [];
  for (const [queue, lag] of cur.queueLag) {
    if (lag.consumer !== candidate) continue;
    const b = base.queueLag.get(queue);
    out.push({
      queue,
      msPerMessage: { baseline: b && b.messages > 0 ? round(b.ms / b.messages) : null, current: round(lag.ms / lag.messages) },
      messagesPerRequest: {
        baseline: b && base.requests > 0 ? round(b.messages / base.requests) : null,
        current: cur.requests > 0 ? round(lag.messages / cur.requests) : null,
      },
    });
  }
  return out.sort((a, b) => (b.msPerMessage.current ?? 0) - (a.msPerMessage.current ?? 0));
}
