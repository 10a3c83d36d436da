/**
 * Work that travels through a queue, wired into one request's span tree before its critical path is walked:
 *  - a consumer span under a publish span (or linked to it, see request-profile.ts) learns its queue and when the
 *    message was published, so its queue lag (publish -> process) can be measured;
 *  - a blocking receive (a reply wait: `messaging.operation.type=receive`) takes as children the consumers of the
 *    messages its request published just before it: the receive waited for their work, so that work (the worker's
 *    processing and what it calls) is on the request's critical path, and the receive's own time is the wait for
 *    the queue, never the broker's.
 * A consumer that ran while its publisher was still open (an in-process queue) stays where it is: it was awaited.
 */
import { SpanKind } from '../span.js';
import type { TraceSpan } from './critical-path.js';

/** Slack for clock rounding between a publish and its consumer's start. */
const TOLERANCE_MS = 0.5;

export function wireQueueHops(spans: Iterable<TraceSpan>, children: Map<string, TraceSpan[]>): void {
  for (const p of spans) {
    if (p.kind !== SpanKind.PRODUCER) continue;
    for (const c of children.get(p.spanId) ?? []) {
      if (c.kind === SpanKind.CONSUMER) c.queued = { queue: p.peer?.name ?? p.service, publishedAt: p.end };
    }
  }
  for (const siblings of children.values()) {
    const receives = siblings.filter((s) => s.receive).sort((a, b) => a.start - b.start);
    if (receives.length === 0) continue;
    for (const p of siblings) {
      if (p.kind !== SpanKind.PRODUCER) continue;
      const kids = children.get(p.spanId);
      if (!kids) continue;
      const stay: TraceSpan[] = [];
      for (const c of kids) {
        const late = c.kind === SpanKind.CONSUMER && c.start >= p.end - TOLERANCE_MS;
        const r = late
          ? receives.find((x) => x.start >= p.start - TOLERANCE_MS && x.start <= c.start + TOLERANCE_MS && x.end >= c.start)
          : undefined;
        if (!r) {
          stay.push(c);
          continue;
        }
        const into = children.get(r.spanId);
        if (into) into.push(c);
        else children.set(r.spanId, [c]);
      }
      children.set(p.spanId, stay);
    }
  }
}
