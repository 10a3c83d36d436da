/**
 * One info line a minute while spans flow: what was received, accepted and rejected since the last line, and what
 * is waiting (the store queue, the pairer). Quiet minutes log nothing, so an idle faultline's log stays empty.
 */
import type { Counter } from 'prom-client';
import type { Logger } from './log.js';
import type { SelfMetrics } from './self-metrics.js';

const total = async (c: Counter<string>): Promise<number> => (await c.get()).values.reduce((s, v) => s + v.value, 0);

export function startIngestSummary(
  metrics: SelfMetrics,
  pending: () => { queuedSpans: number; pairerSpans: number },
  log: Logger,
  intervalMs = 60_000,
): () => void {
  let last = { received: 0, accepted: 0, rejected: 0 };
  const timer = setInterval(() => {
    void (async () => {
      const now = {
        received: await total(metrics.spansReceived),
        accepted: await total(metrics.spansAccepted),
        rejected: await total(metrics.spansRejected),
      };
      const delta = {
        received: now.received - last.received,
        accepted: now.accepted - last.accepted,
        rejected: now.rejected - last.rejected,
      };
      last = now;
      if (delta.received === 0 && delta.rejected === 0) return;
      log.info('ingest summary', {
        intervalSeconds: intervalMs / 1000,
        spansReceived: delta.received,
        spansAccepted: delta.accepted,
        spansRejected: delta.rejected,
        ...pending(),
      });
    })();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
