/** What both receivers do with a decoded request: count, hand valid spans to the sink, report partial success. */
import type { SelfMetrics } from '../self-metrics.js';
import { asFaultlineError } from '../errors.js';
import type { DecodedExport } from './decoded-export.js';
import type { ExportOutcome } from './export-response.js';
import type { SpanSink } from './span-sink.js';

export type Transport = 'grpc' | 'http';

export async function handleDecodedExport(decoded: DecodedExport, transport: Transport, sink: SpanSink, metrics: SelfMetrics): Promise<ExportOutcome> {
  const { rejected, errorMessage } = decoded;
  const n = decoded.spans.length;
  metrics.spansReceived.inc({ transport }, n + rejected);
  if (rejected > 0) metrics.spansRejected.inc({ transport, reason: 'invalid' }, rejected);
  if (n > 0) {
    const committed = sink.accept(decoded.spans);
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
