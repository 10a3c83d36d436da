/** Awkward strings (escapes, quotes, multi-byte, long) survive the Native insert path into chDB unchanged. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/log.js';
import type { Span } from '../../src/span.js';
import { openTestStore } from '../helpers/test-store.js';
import { runMigrations } from '../../src/store/migrations.js';
import { encodeSpanColumns, joinSpanColumns } from '../../src/store/span-columns.js';
import { spansToNative } from '../helpers/spans-to-native.js';
import { withSdkAttributes } from '../sim/sdk-attributes.js';
import { simulate } from '../sim/simulate.js';
import { shop } from '../sim/topology.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nasty = [
  'x'.repeat(300),
  'é'.repeat(100),
  'ascii first, then é',
  'y'.repeat(126) + 'é',
  'tab\there',
  'new\nline',
  'back\\slash',
  "quo'te",
  'dq"uote',
  'ünï ✓ 🚀',
  'cr\rlf',
  "{'k':'v'}",
  '\\t literal',
  '',
];

describe('spansToNative', () => {
  it('round-trips names, services, status messages and attribute keys/values through chDB', async () => {
    const store = await openTestStore(dir);
    await runMigrations(store, { cluster: undefined, retentionDays: 7 }, silentLogger);
    const now = BigInt(Date.now()) * 1_000_000n;
    const spans: Span[] = nasty.map((text, i) => ({
      traceId: 'ab'.repeat(15) + i.toString(16).padStart(2, '0'),
      spanId: 'cd'.repeat(7) + i.toString(16).padStart(2, '0'),
      parentSpanId: '',
      traceState: text,
      name: text,
      kind: 2,
      startNs: now + BigInt(i),
      endNs: now + BigInt(i) + 1000n,
      durationNs: 1000,
      statusCode: 2,
      statusMessage: text,
      serviceName: `svc ${text}`,
      resource: { 'service.name': `svc ${text}`, [text || 'empty']: text },
      scopeName: text,
      scopeVersion: '1',
      attributes: { [`k ${text}`]: text, plain: 'x' },
    }));
    await store.insertNative('otel_traces', spansToNative(spans));
    const rows = await store.query('spans_for_traces', { traceIds: spans.map((s) => s.traceId) });
    await store.close();
    expect(rows).toHaveLength(spans.length);
    for (const s of spans) {
      const r = rows.find((x) => x.traceId === s.traceId)!;
      expect(r.name).toBe(s.name);
      expect(r.serviceName).toBe(s.serviceName);
      expect(r.attributes).toEqual(s.attributes);
      expect(r.startNs).toBe(s.startNs.toString());
    }
  });
});

describe('joinSpanColumns', () => {
  it('joins requests encoded apart into the same bytes as one encode of all their spans (map offsets shifted)', () => {
    const spans = simulate(shop, { seed: 3, startMs: Date.now(), durationMs: 60_000, requests: 200 }).spans;
    expect(spans.some((s) => Object.keys(s.attributes).length > 0)).toBe(true);
    const cuts = [0, 7, 7, 1000, 1001, spans.length];
    const chunks = cuts.slice(1).map((end, i) => encodeSpanColumns(spans.slice(cuts[i], end)));
    expect(joinSpanColumns(chunks).equals(spansToNative(spans))).toBe(true);
    expect(joinSpanColumns([encodeSpanColumns([])]).equals(spansToNative([]))).toBe(true);
  });

  it('copies a resource map shared by consecutive spans byte for byte as if each span had its own', () => {
    const shared = withSdkAttributes(simulate(shop, { seed: 6, startMs: Date.now(), durationMs: 60_000, requests: 100 }).spans);
    expect(shared[0]!.resource).toBe(shared.find((s) => s.serviceName === shared[0]!.serviceName && s !== shared[0])!.resource);
    expect(Object.keys(shared[0]!.resource).length).toBeGreaterThan(20);
    // The same values in a fresh object per span: nothing to copy, every map encoded on its own.
    const own = shared.map((s) => ({ ...s, resource: { ...s.resource }, attributes: { ...s.attributes } }));
    const a = encodeSpanColumns(shared);
    const b = encodeSpanColumns(own);
    expect(a.ends).toEqual(b.ends);
    expect(a.data.equals(b.data)).toBe(true);
  });
});
