/** Which operation got slow: a database's added time is named by the query whose time it was (issue 29). */
import { describe, expect, it } from 'vitest';
import { profileRequests } from '../../src/rca/request-profile.js';
import { topOperations } from '../../src/rca/top-operations.js';
import type { RequestSample, StoredTraceSpan } from '../../src/store/request-traces.js';

const pg = { 'db.system': 'postgresql', 'db.namespace': 'shop', 'server.address': '127.0.0.1', 'server.port': '5432' };

/** `n` requests of checkout, each querying stock then price (ms each). */
function sample(n: number, stockMs: number, priceMs: number): RequestSample {
  const spans: StoredTraceSpan[] = [];
  const entries: RequestSample['entries'] = [];
  for (let i = 0; i < n; i++) {
    const traceId = `t${i}`;
    const span = (spanId: string, parentSpanId: string, kind: string, name: string, startMs: number, durMs: number, peer = {}) =>
      spans.push({
        traceId,
        spanId,
        parentSpanId,
        service: 'checkout',
        kind,
        name,
        startNs: String(startMs * 1e6),
        durationNs: durMs * 1e6,
        failed: 0,
        peerAttributes: peer,
      });
    span(`r${i}`, '', 'Server', 'POST /checkout', 0, 10 + stockMs + priceMs);
    span(`s${i}`, `r${i}`, 'Client', 'SELECT shop.stock', 5, stockMs, pg);
    span(`p${i}`, `r${i}`, 'Client', 'SELECT shop.price', 5 + stockMs, priceMs, pg);
    entries.push({ traceId, spanId: `r${i}` });
  }
  return { entries, spans };
}

describe('topOperations', () => {
  it('names the query whose time rose, with its ms per request before and after', async () => {
    const base = await profileRequests(sample(30, 5, 5));
    const cur = await profileRequests(sample(30, 60, 5));
    const ops = topOperations('postgresql:shop', cur, base);
    expect(ops).toEqual([{ name: 'SELECT shop.stock', msPerRequest: { baseline: 5, current: 60 } }]);
    // The service's own time did not rise: no operation of it is listed.
    expect(topOperations('checkout', cur, base)).toEqual([]);
  });

  it("a wait for a pooled connection is the caller's own time, not the database's", async () => {
    const s = sample(10, 5, 5);
    for (let i = 0; i < 10; i++)
      s.spans.push({
        traceId: `t${i}`,
        spanId: `w${i}`,
        parentSpanId: `r${i}`,
        service: 'checkout',
        kind: 'Client',
        name: 'pg-pool.connect',
        startNs: String(1e6),
        durationNs: 3e6,
        failed: 0,
        peerAttributes: pg,
      });
    const profile = await profileRequests(s);
    expect(profile.operations.get('checkout')?.get('pg-pool.connect')).toBeCloseTo(30, 6);
    expect(profile.operations.get('postgresql:shop')?.has('pg-pool.connect')).toBe(false);
  });
});
