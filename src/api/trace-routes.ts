/** GET /api/v1/traces/:traceId: a trace's spans (exemplars link here when no FAULTLINE_TRACE_URL_TEMPLATE is set). */
import { InputError, NotFoundError } from '../errors.js';
import type { Store } from '../store/clickhouse-store.js';
import { loadTrace, MAX_TRACE_SPANS } from '../store/trace-lookup.js';
import type { Router } from './router.js';
import { allowParams } from './time-window.js';

export function addTraceRoutes(router: Router, store: Store): void {
  router.get('/api/v1/traces/:traceId', async ({ params, query }) => {
    allowParams(query, []);
    const traceId = params.traceId!.toLowerCase();
    if (!/^[0-9a-f]{32}$/.test(traceId)) throw new InputError('traceId must be 32 hex characters');
    const spans = await loadTrace(store, traceId);
    if (spans.length === 0) throw new NotFoundError(`no spans of trace ${traceId}`);
    return {
      traceId,
      spans: spans.map((s) => ({
        spanId: s.spanId,
        parentSpanId: s.parentSpanId,
        service: s.serviceName,
        name: s.name,
        kind: s.kind,
        startNs: s.startNs,
        durationMs: Math.round(Number(s.durationNs) / 1e3) / 1e3,
        status: s.statusCode,
        ...(s.statusMessage ? { statusMessage: s.statusMessage } : {}),
        attributes: s.attributes,
        resource: s.resource,
        ...(s.events.length ? { events: s.events } : {}),
        ...(s.links.length ? { links: s.links } : {}),
      })),
      ...(spans.length >= MAX_TRACE_SPANS ? { truncated: true, note: `only the first ${MAX_TRACE_SPANS} spans by start` } : {}),
    };
  });
}
