/**
 * Input that must never hurt another request or become a 500 (issue 14): a request whose spans fall on 101 days
 * (more partitions than one insert may touch) sent among honest ones, timestamps at the edge of what the store can
 * hold, attribute values nested thousands of levels deep (protobuf and OTLP/JSON), and spans outside the retention
 * or far in the future. Valid spans in the same request are kept (partial success).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../../src/span.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { loadOtlpRoot } from '../helpers/reference-decoder.js';
import { encodeJson } from '../sim/otlp-encode.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ FAULTLINE_RETENTION_DAYS: '365', FAULTLINE_BATCH_MAX_DELAY_MS: '200' });
});
afterAll(() => h.stop());

const DAY = 86_400_000;
const spans = (seed: number, startMs = Date.now() - 60_000, requests = 5) =>
  simulate(ciPipeline, { seed, startMs, durationMs: 10_000, requests }).spans;

async function postJson(
  body: Buffer | string,
): Promise<{ status: number; json: { partialSuccess?: { rejectedSpans?: string; errorMessage?: string } } }> {
  const res = await fetch(`${h.otlpHttp}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  return { status: res.status, json: JSON.parse(await res.text()) };
}

const stored = async (traceIds: string[]) => (await h.app.store.query('spans_for_traces', { traceIds: [...new Set(traceIds)] })).length;

describe('hostile input', () => {
  it('a request touching 101 days fails alone; the honest requests batched with it are committed', async () => {
    const poison = Array.from({ length: 101 }, (_, d) => spans(100 + d, Date.now() - (d + 1) * DAY, 1)[0]!);
    const honest = [1, 2, 3, 4].map((i) => spans(200 + i));
    const results = await Promise.all([postJsonSpans(poison), ...honest.map(postJsonSpans)]);
    expect(results[0]!.status).toBe(400);
    expect(JSON.stringify(results[0]!.json)).toMatch(/refused the spans of this request/);
    expect(JSON.stringify(results[0]!.json)).not.toMatch(/staged|\/tmp|partition|max_partitions/i);
    expect(results.slice(1).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await stored(honest.flat().map((s) => s.traceId))).toBe(honest.flat().length);
  });

  it('a start at or past 2^63 ns rejects that span only (partial success), not the request', async () => {
    const good = spans(7);
    const bad: Span = { ...good[0]!, spanId: 'ab'.repeat(8), startNs: 2n ** 63n, endNs: 2n ** 63n + 5n, durationNs: 5 };
    const r = await postJson(encodeJson([...good, bad]));
    expect(r.status).toBe(200);
    expect(r.json.partialSuccess?.rejectedSpans).toBe('1');
    expect(r.json.partialSuccess?.errorMessage).toMatch(/after 2262-04-11/);
    expect(await stored(good.map((s) => s.traceId))).toBe(good.length);
  });

  it('spans older than the retention or a day in the future are rejected with a reason', async () => {
    const good = spans(8);
    const old = {
      ...good[0]!,
      spanId: 'cd'.repeat(8),
      startNs: BigInt(Date.now() - 400 * DAY) * 1_000_000n,
      endNs: BigInt(Date.now() - 400 * DAY + 5) * 1_000_000n,
    };
    const future = {
      ...good[0]!,
      spanId: 'ef'.repeat(8),
      startNs: BigInt(Date.now() + 3 * DAY) * 1_000_000n,
      endNs: BigInt(Date.now() + 3 * DAY + 5) * 1_000_000n,
    };
    const r = await postJson(encodeJson([...good, old, future]));
    expect(r.status).toBe(200);
    expect(r.json.partialSuccess?.rejectedSpans).toBe('2');
    expect(r.json.partialSuccess?.errorMessage).toMatch(/1 span\(s\) start more than 365 days ago \(FAULTLINE_RETENTION_DAYS\)/);
    expect(r.json.partialSuccess?.errorMessage).toMatch(/1 span\(s\) start more than 24 h in the future/);
  });

  it('an attribute nested 5000 levels deep rejects its span (protobuf), not the process', async () => {
    // Written by hand: protobufjs itself refuses to encode this deep.
    let deep = field(1, Buffer.from('bottom')); // AnyValue { string_value }
    for (let i = 0; i < 5000; i++) deep = field(5, field(1, deep)); // AnyValue { array_value: ArrayValue { values } }
    const good = spans(9)[0]!;
    const span = (id: string, attrs: Buffer) =>
      field(
        2,
        Buffer.concat([
          field(1, Buffer.from(good.traceId, 'hex')),
          field(2, Buffer.from(id, 'hex')),
          field(5, Buffer.from('deep')),
          fixed64(7, good.startNs),
          fixed64(8, good.endNs),
          attrs,
        ]),
      );
    const resource = field(
      1,
      field(1, Buffer.concat([field(1, Buffer.from('service.name')), field(2, field(1, Buffer.from('deep-svc')))])),
    );
    const scope = field(
      2,
      Buffer.concat([
        span('11'.repeat(8), field(9, Buffer.concat([field(1, Buffer.from('d')), field(2, deep)]))),
        span('22'.repeat(8), Buffer.alloc(0)),
      ]),
    );
    const body = field(1, Buffer.concat([resource, scope]));
    const res = await fetch(`${h.otlpHttp}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
    expect(res.status).toBe(200);
    const root = loadOtlpRoot();
    const out = root
      .lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse')
      .decode(Buffer.from(await res.arrayBuffer()))
      .toJSON();
    expect(out.partialSuccess).toMatchObject({ rejectedSpans: '1', errorMessage: expect.stringMatching(/nested deeper than 32 levels/) });
    expect(await stored([good.traceId])).toBeGreaterThanOrEqual(1);
  });

  it('an OTLP/JSON arrayValue nested 5000 levels deep rejects its span, not the process', async () => {
    let deep = '{"stringValue":"bottom"}';
    for (let i = 0; i < 5000; i++) deep = `{"arrayValue":{"values":[${deep}]}}`;
    const good = spans(10)[0]!;
    const json = JSON.parse(encodeJson([good]).toString()) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
    const s = json.resourceSpans[0]!.scopeSpans[0]!.spans;
    s.push({ ...s[0]!, spanId: '33'.repeat(8), attributes: [{ key: 'd', value: '__DEEP__' }] });
    const r = await postJson(JSON.stringify(json).replace('"__DEEP__"', deep));
    expect(r.status).toBe(200);
    expect(r.json.partialSuccess).toMatchObject({
      rejectedSpans: '1',
      errorMessage: expect.stringMatching(/nested deeper than 32 levels/),
    });
  });

  it('a client that leaves mid-body is counted as client_gone, not an error, and ingest goes on', async () => {
    const { port } = new URL(h.otlpHttp);
    for (let i = 0; i < 3; i++) {
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise((r) => socket.once('connect', r));
      socket.write('POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: 100000\r\n\r\n');
      socket.write(Buffer.alloc(10));
      await new Promise((r) => setTimeout(r, 50));
      socket.destroy();
    }
    let gone = 0;
    for (let i = 0; i < 50 && gone < 3; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const text = await (await fetch(`${h.api}/metrics`)).text();
      gone = Number(/^faultline_export_requests_total\{transport="http",outcome="client_gone"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    }
    expect(gone).toBe(3);
    const res = await fetch(`${h.otlpHttp}/v1/traces`, {
      method: 'POST',
      body: encodeJson(spans(77)),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
  });
});

/** A length-delimited protobuf field. */
function field(no: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((no << 3) | 2), varint(bytes.length), bytes]);
}

function fixed64(no: number, v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return Buffer.concat([varint((no << 3) | 1), b]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

async function postJsonSpans(s: Span[]) {
  return postJson(encodeJson(s));
}
