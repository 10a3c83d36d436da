/**
 * loadRequestSample on a real chDB store: the sampled requests' traces are read over the requests' own extent (give
 * or take a margin), so a long build's subtree is read to its end and work a queue hands on after the request
 * returned is kept, while the rest of the store is not read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/log.js';
import { SpanKind, type Span, type SpanKindNumber } from '../../src/span.js';
import type { Store } from '../../src/store/clickhouse-store.js';
import { runMigrations } from '../../src/store/migrations.js';
import { loadRequestSample } from '../../src/store/request-traces.js';
import { openTestStore } from '../helpers/test-store.js';
import { spansToNative } from '../helpers/spans-to-native.js';

const MIN = 60_000;
const T0 = Math.floor(Date.now() / MIN) * MIN - 120 * MIN;
let store: Store;
let dir: string;

let nextId = 1;
function span(traceId: string, parent: Span | undefined, service: string, kind: SpanKindNumber, startMs: number, durMs: number): Span {
  const startNs = BigInt(startMs) * 1_000_000n;
  return {
    traceId,
    spanId: (nextId++).toString(16).padStart(16, '0'),
    parentSpanId: parent?.spanId ?? '',
    traceState: '',
    name: `${service}-op`,
    kind,
    startNs,
    endNs: startNs + BigInt(durMs) * 1_000_000n,
    durationNs: durMs * 1_000_000,
    statusCode: 0,
    statusMessage: '',
    serviceName: service,
    resource: { 'service.name': service },
    scopeName: '',
    scopeVersion: '',
    attributes: {},
  };
}

// A 40-minute build sampled in its first minutes: its last call ends 39 minutes in, and a consumer picks up what it
// published 5 minutes after it returned. Its caller (the pipeline) started 30 minutes before it.
const BUILD = 'a'.repeat(32);
const pipeline = span(BUILD, undefined, 'pipeline', SpanKind.SERVER, T0 - 30 * MIN, 75 * MIN);
const build = span(BUILD, pipeline, 'builder', SpanKind.SERVER, T0 + MIN, 40 * MIN);
const gitCall = span(BUILD, build, 'builder', SpanKind.CLIENT, T0 + 2 * MIN, MIN);
const gitServer = span(BUILD, gitCall, 'git-proxy', SpanKind.SERVER, T0 + 2 * MIN, MIN);
const upload = span(BUILD, build, 'builder', SpanKind.CLIENT, T0 + 38 * MIN, MIN);
const publish = span(BUILD, build, 'builder', SpanKind.PRODUCER, T0 + 39 * MIN, 1);
const consume = span(BUILD, publish, 'notifier', SpanKind.CONSUMER, T0 + 46 * MIN, 100);
// Another trace in the same minutes, not sampled (its service is not the alerting one).
const OTHER = 'b'.repeat(32);
const other = span(OTHER, undefined, 'git-proxy', SpanKind.SERVER, T0 + 3 * MIN, 1000);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-request-traces-'));
  store = await openTestStore(dir);
  await runMigrations(store, { cluster: undefined, retentionDays: 7 }, silentLogger);
  await store.insertNative('otel_traces', spansToNative([pipeline, build, gitCall, gitServer, upload, publish, consume, other]));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const query = { service: 'builder', startMs: T0, endMs: T0 + 5 * MIN, limit: 100 };

describe('loadRequestSample', () => {
  it("reads a long request's subtree to its end and the work it handed to a queue, not other traces", async () => {
    const sample = await loadRequestSample(store, { ...query, maxSpans: 1000 });
    expect(sample.entries).toEqual([{ traceId: BUILD, spanId: build.spanId }]);
    const read = new Set(sample.spans.map((s) => s.spanId));
    for (const s of [build, gitCall, gitServer, upload, publish, consume]) expect(read.has(s.spanId), s.serviceName).toBe(true);
    expect(read.has(other.spanId)).toBe(false);
    // The caller's span started 30 minutes before the request: outside its extent and the margin, and not needed
    // (only the request's subtree is charged).
    expect(read.has(pipeline.spanId)).toBe(false);
    expect(sample.truncated).toBe(false);
  });

  it('stops at the span budget, cutting the same spans every time, and says so', async () => {
    const a = await loadRequestSample(store, { ...query, maxSpans: 3 });
    const b = await loadRequestSample(store, { ...query, maxSpans: 3 });
    expect(a.spans.map((s) => s.spanId)).toEqual([build.spanId, gitCall.spanId, gitServer.spanId]);
    expect(b.spans).toEqual(a.spans);
    expect(a.truncated).toBe(true);
  });

  it('samples nothing (and reads nothing) when the service has no request in the period', async () => {
    const sample = await loadRequestSample(store, { ...query, service: 'nobody', maxSpans: 1000 });
    expect(sample).toEqual({ entries: [], spans: [], truncated: false });
  });
});
