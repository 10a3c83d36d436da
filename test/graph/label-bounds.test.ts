/**
 * Span and service names become metric labels: 20,000 server spans with distinct 64 KB names (issue 27) must leave
 * /metrics answering, small, and with faultline's own metrics in it; each label value is cut with a marker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SPAN_NAME_LABEL_CHARS } from '../../src/graph/label-value.js';
import { encodeProto } from '../sim/otlp-encode.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';
import type { Span } from '../../src/span.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A full collection before each heap reading, so the test's own garbage (1.3 GB of names it built) is not counted.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ FAULTLINE_PAIR_WAIT_MS: '100' });
});
afterAll(() => h.stop());

describe('label bounds', () => {
  it('20,000 distinct 64 KB span names: /metrics stays small and keeps its own metrics', async () => {
    const template = simulate(ciPipeline, { seed: 1, startMs: Date.now() - 60_000, durationMs: 1000, requests: 1 }).spans.find(
      (s) => s.kind === 2,
    )!;
    const filler = 'x'.repeat(64 * 1024);
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    // 200 spans per request (~13 MB, under the 16 MB message limit).
    for (let batch = 0; batch < 100; batch++) {
      const spans: Span[] = [];
      for (let k = 0; k < 200; k++) {
        const i = batch * 200 + k;
        spans.push({ ...template, spanId: (i + 1).toString(16).padStart(16, '0'), parentSpanId: '', name: `${i}-${filler}` });
      }
      const res = await fetch(`${h.otlpHttp}/v1/traces`, {
        method: 'POST',
        body: encodeProto(spans),
        headers: { 'content-type': 'application/x-protobuf' },
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    await h.app.settleGraph();
    const res = await fetch(`${h.api}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    // 2000 series per metric at most (FAULTLINE_METRICS_MAX_SERIES), each label value at most 256 characters.
    expect(text.length).toBeLessThan(16 * 2 ** 20);
    expect([...text.matchAll(/^faultline_spans_accepted_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0)).toBe(20_000);
    const names = [...text.matchAll(/span_name="([^"]*)"/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(0);
    expect(Math.max(...names.map((n) => n.length))).toBeLessThanOrEqual(MAX_SPAN_NAME_LABEL_CHARS);
    expect(names.some((n) => n.endsWith('…[truncated]'))).toBe(true);
    // The series cache holds bounded names: the JS heap keeps far less than the 1.3 GB of names sent. (The embedded
    // engine's memory is bounded on its own, by FAULTLINE_STORE_MAX_MEMORY_BYTES.)
    gc();
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 2 ** 20);
  }, 180_000);
});
