/**
 * FAULTLINE_STORE_MAX_MEMORY_BYTES bounds what one store operation may take of the engine's memory (issue 14, item 9).
 * An operation over the bound fails as retryable (the memory may be there on the next try), not as a crash or a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { encodeProto } from '../sim/otlp-encode.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

describe('store memory bound', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ FAULTLINE_STORE_MAX_MEMORY_BYTES: String(1_000_000) });
  });
  afterAll(() => h.stop());

  it('an insert over the bound answers 503 with Retry-After and names no engine internals; small operations still work', async () => {
    const spans = simulate(ciPipeline, { seed: 3, startMs: Date.now() - 10 * 60_000, durationMs: 5 * 60_000, requests: 2000 }).spans;
    const res = await fetch(`${h.otlpHttp}/v1/traces`, {
      method: 'POST',
      body: encodeProto(spans),
      headers: { 'content-type': 'application/x-protobuf' },
    });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Buffer.from(await res.arrayBuffer()).toString('latin1')).not.toMatch(/max_memory_usage|DB::Exception|Code: \d+/);
    // Small operations still fit: the service answers reads and smaller exports.
    expect((await fetch(`${h.api}/api/v1/graph?start=now-1h`)).status).toBe(200);
  });
});
