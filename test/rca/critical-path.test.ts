/**
 * The critical-path walk's reading of span times: which children a span waited for. Hand-written spans for the exact
 * edges, and spans made by the real OTel JS SDK (in-memory exporter), whose timestamps carry its millisecond
 * rounding: a child that ended first can be stamped up to 1 ms after its parent.
 */
import { SpanKind as ApiSpanKind, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { virtualPeerOf } from '../../src/graph/virtual-peer.js';
import { attributeRequest, type CandidateRef, type TraceSpan } from '../../src/rca/critical-path.js';
import { SpanKind } from '../../src/span.js';

const DB = { 'db.system': 'postgresql', 'db.namespace': 'stock' };

function span(spanId: string, parentSpanId: string, kind: number, start: number, end: number, attrs?: Record<string, string>): TraceSpan {
  return { spanId, parentSpanId, service: 'inventory', kind, start, end, failed: false, peer: attrs ? virtualPeerOf(attrs) : undefined };
}

function attribute(spans: TraceSpan[]): Map<string, number> {
  const children = new Map<string, TraceSpan[]>();
  for (const s of spans) children.set(s.parentSpanId, [...(children.get(s.parentSpanId) ?? []), s]);
  const refs = new Map<string, CandidateRef>();
  return attributeRequest(spans[0]!, (id) => children.get(id) ?? [], refs).time;
}

describe('attributeRequest: children a span waited for', () => {
  it('keeps a child stamped just after its parent on the path (clock rounding), its time the callee’s', () => {
    const time = attribute([span('s', '', SpanKind.SERVER, 0, 262), span('db', 's', SpanKind.CLIENT, 10, 262.9, DB)]);
    expect(time.get('postgresql:stock')).toBeCloseTo(252, 5);
    expect(time.get('inventory')).toBeCloseTo(10, 5);
  });

  it('takes a child that outlives its parent by more than rounding as fire and forget: nobody is charged', () => {
    const time = attribute([span('s', '', SpanKind.SERVER, 0, 20), span('audit', 's', SpanKind.CLIENT, 5, 60, DB)]);
    expect(time.get('postgresql:stock')).toBeUndefined();
    expect(time.get('inventory')).toBeCloseTo(20, 5);
  });

  it('charges a slow database call to the database on spans made by the real OTel JS SDK', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer('critical-path-test');
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // Two requests at a time, as a server has them: the interleaving varies the spans' Date.now() offsets.
    const request = async (): Promise<void> => {
      const server = tracer.startSpan('CheckStock', { kind: ApiSpanKind.SERVER });
      await sleep(1);
      const db = tracer.startSpan('SELECT stock', { kind: ApiSpanKind.CLIENT, attributes: DB }, trace.setSpan(ROOT_CONTEXT, server));
      // At least 8 ms of real time: a timer counts from the event loop's cached time, so sleep(8) alone can end
      // a millisecond or two early on a busy machine.
      const dbStarted = performance.now();
      while (performance.now() - dbStarted < 8) await sleep(1);
      db.end();
      server.end();
    };
    for (let i = 0; i < 40; i++) await Promise.all([request(), request()]);
    await provider.forceFlush();
    const all = exporter.getFinishedSpans();
    await provider.shutdown();
    const ms = (s: ReadableSpan, t: [number, number]): number => (t[0] - all[0]!.startTime[0]) * 1000 + t[1] / 1e6;
    const asTraceSpan = (s: ReadableSpan): TraceSpan => ({
      ...span(
        s.spanContext().spanId,
        s.parentSpanContext?.spanId ?? '',
        s.kind === ApiSpanKind.CLIENT ? SpanKind.CLIENT : SpanKind.SERVER,
        0,
        0,
        s.kind === ApiSpanKind.CLIENT ? DB : undefined,
      ),
      start: ms(s, s.startTime),
      end: ms(s, s.endTime),
    });
    const servers = all.filter((s) => s.kind === ApiSpanKind.SERVER);
    expect(servers).toHaveLength(80);
    let stampedAfter = 0;
    for (const server of servers) {
      const db = all.find((s) => s.parentSpanContext?.spanId === server.spanContext().spanId)!;
      const [root, child] = [asTraceSpan(server), asTraceSpan(db)];
      if (child.end > root.end) stampedAfter++;
      const time = attribute([root, child]);
      // The database call took 8 ms or more of the request, whatever its stamps say.
      expect(time.get('postgresql:stock') ?? 0, `request ${server.spanContext().spanId}`).toBeGreaterThan(7);
    }
    // What made this case: the SDK stamps some children after their parents (the mechanism under test).
    console.log(`critical path: ${stampedAfter} of 80 database calls stamped after their request ended`);
  });
});
