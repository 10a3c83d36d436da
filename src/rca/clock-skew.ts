/**
 * Clock skew between hosts: a server span that starts before the client span that called it cannot have (the call
 * had not been made yet), so its host's clock is off. Left as is, the walk would charge the whole call to the edge
 * (a clock step on one host would rank as a network fault). Such a server span, when it fits in its client span, is
 * shifted to the middle of it, with everything under it (as Jaeger's skew adjuster does): the network time is split
 * evenly between the two directions. A server span that only ends after its client is left alone: that is a timeout.
 */
import { SpanKind } from '../span.js';
import type { TraceSpan } from './critical-path.js';

/** Slack for clock rounding. */
const TOLERANCE_MS = 0.5;

export function shiftSkewedCallees(spans: Iterable<TraceSpan>, children: Map<string, TraceSpan[]>): void {
  for (const client of spans) {
    if (client.kind !== SpanKind.CLIENT) continue;
    for (const server of children.get(client.spanId) ?? []) {
      if (server.kind !== SpanKind.SERVER || server.start >= client.start - TOLERANCE_MS) continue;
      const room = client.end - client.start - (server.end - server.start);
      if (room < 0) continue;
      shiftSubtree(server, client.start + room / 2 - server.start, children);
    }
  }
}

function shiftSubtree(root: TraceSpan, deltaMs: number, children: Map<string, TraceSpan[]>): void {
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (seen.has(s.spanId)) continue; // bad parent ids can make a cycle
    seen.add(s.spanId);
    s.start += deltaMs;
    s.end += deltaMs;
    for (const c of children.get(s.spanId) ?? []) stack.push(c);
  }
}
