/** The per-minute ingest summary: one line when spans flowed, nothing when quiet (interval shortened here). */
import { describe, expect, it } from 'vitest';
import { startIngestSummary } from '../src/ingest-summary.js';
import { createLogger } from '../src/log.js';
import { createSelfMetrics } from '../src/self-metrics.js';

describe('ingest summary', () => {
  it('logs the spans received, accepted and rejected since the last line, and stays quiet when idle', async () => {
    const metrics = createSelfMetrics();
    const lines: Record<string, unknown>[] = [];
    const stop = startIngestSummary(
      metrics,
      () => ({ queuedSpans: 7, pairerSpans: 3 }),
      createLogger('info', (l) => lines.push(JSON.parse(l) as Record<string, unknown>)),
      50,
    );
    metrics.spansReceived.inc({ transport: 'grpc' }, 120);
    metrics.spansAccepted.inc({ transport: 'grpc' }, 100);
    metrics.spansRejected.inc({ transport: 'grpc', reason: 'invalid' }, 20);
    await new Promise((r) => setTimeout(r, 80));
    await new Promise((r) => setTimeout(r, 150)); // idle intervals: no more lines
    stop();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'ingest summary',
      spansReceived: 120,
      spansAccepted: 100,
      spansRejected: 20,
      queuedSpans: 7,
      pairerSpans: 3,
    });
  });
});
