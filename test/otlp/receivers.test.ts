/**
 * OTLP ingest end to end: the official OTel JS exporters send to a real faultline (gRPC, HTTP/protobuf, HTTP/JSON)
 * and we read the spans back from the chDB store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Span } from '../../src/span.js';
import type { QueryRows } from '../../src/store/query-catalog.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { rawGrpcExport } from '../helpers/raw-grpc-export.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';
import { encodeJson, encodeProto, toReadableSpan } from '../sim/otlp-encode.js';
import { Random } from '../sim/random.js';
import { zstdFrame } from '../helpers/zstd-frame.js';

const hasZstdProgram = (): boolean => {
  try {
    execFileSync('zstd', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ FAULTLINE_MAX_MESSAGE_BYTES: '400000' });
});
afterAll(async () => {
  await h.stop();
});

function exportWith(exporter: SpanExporter, spans: Span[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans.map(toReadableSpan), resolve));
}

type StoredSpan = QueryRows['spans_for_traces'];

async function stored(spans: Span[]): Promise<StoredSpan[]> {
  const traceIds = [...new Set(spans.map((s) => s.traceId))];
  return h.app.store.query('spans_for_traces', { traceIds });
}

function expected(spans: Span[]) {
  const kinds = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
  return spans
    .map((s) => ({
      traceId: s.traceId,
      spanId: s.spanId,
      parentSpanId: s.parentSpanId,
      name: s.name,
      kind: kinds[s.kind],
      serviceName: s.serviceName,
      startNs: s.startNs.toString(),
      durationNs: s.durationNs,
      statusCode: ['Unset', 'Ok', 'Error'][s.statusCode],
      attributes: s.attributes,
      eventTimesNs: (s.events ?? []).map((e) => e.timeNs.toString()),
      eventNames: (s.events ?? []).map((e) => e.name),
      linkTraceIds: (s.links ?? []).map((l) => l.traceId),
    }))
    .sort((a, b) => (a.traceId + a.spanId).localeCompare(b.traceId + b.spanId));
}

/** Simulated spans (failed ones carry an exception event); every seventh also links to the span before it. */
function sim(seed: number, requests = 30): Span[] {
  const spans = simulate(ciPipeline, { seed, startMs: Date.now() - 10 * 60_000, durationMs: 60_000, requests }).spans;
  return spans.map((s, i) =>
    i % 7 === 6
      ? {
          ...s,
          links: [{ traceId: spans[i - 1]!.traceId, spanId: spans[i - 1]!.spanId, traceState: '', attributes: { 'link.kind': 'follows' } }],
        }
      : s,
  );
}

describe('official OTel exporters -> faultline -> store', () => {
  const cases: [string, () => SpanExporter][] = [
    ['grpc', () => new GrpcExporter({ url: h.otlpGrpc })],
    ['grpc+gzip', () => new GrpcExporter({ url: h.otlpGrpc, compression: 'gzip' as never })],
    ['http/protobuf', () => new ProtoExporter({ url: `${h.otlpHttp}/v1/traces` })],
    ['http/protobuf+gzip', () => new ProtoExporter({ url: `${h.otlpHttp}/v1/traces`, compression: 'gzip' as never })],
    ['http/json', () => new JsonExporter({ url: `${h.otlpHttp}/v1/traces` })],
  ];
  cases.forEach(([name, make], i) => {
    it(`${name}: every span lands with its ids, duration, status and service`, async () => {
      const spans = sim(100 + i);
      const exporter = make();
      const result = await exportWith(exporter, spans);
      await exporter.shutdown();
      expect(result.error).toBeUndefined();
      expect(result.code).toBe(ExportResultCode.SUCCESS);
      // Acked means committed: no waiting before reading.
      expect(await stored(spans)).toEqual(expected(spans));
    });
  });

  it('spans of one trace split across requests, shuffled, arrive intact', async () => {
    const spans = sim(7, 40);
    const shuffled = new Random(3).shuffle([...spans]);
    const exporter = new GrpcExporter({ url: h.otlpGrpc });
    for (let i = 0; i < shuffled.length; i += 17) {
      const r = await exportWith(exporter, shuffled.slice(i, i + 17));
      expect(r.code).toBe(ExportResultCode.SUCCESS);
    }
    await exporter.shutdown();
    expect(await stored(spans)).toEqual(expected(spans));
  });
});

describe('OTLP/HTTP error paths', () => {
  const post = (body: Buffer | string, headers: Record<string, string>) =>
    fetch(`${h.otlpHttp}/v1/traces`, { method: 'POST', body, headers });

  it('partial success: invalid spans are rejected with a reason, valid ones kept', async () => {
    const spans = sim(11, 2);
    const json = JSON.parse(encodeJson(spans).toString());
    const list = json.resourceSpans[0].scopeSpans[0].spans;
    list.push({ ...list[0], spanId: 'abcd' }, { ...list[0], spanId: '00000000000000aa', endTimeUnixNano: '1' });
    const res = await post(JSON.stringify(json), { 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(body.partialSuccess.rejectedSpans).toBe('2');
    expect(body.partialSuccess.errorMessage).toMatch(/span_id must be 8 bytes, got 2/);
    expect(body.partialSuccess.errorMessage).toMatch(/end_time_unix_nano is before start_time_unix_nano/);
    expect(await stored(spans)).toEqual(expected(spans));
  });

  it('malformed protobuf -> 400 with a google.rpc.Status body', async () => {
    const res = await post(Buffer.from([0x0a, 0xff, 0xff, 0x01]), { 'content-type': 'application/x-protobuf' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
  });

  it('malformed JSON -> 400 naming the problem', async () => {
    const res = await post('{"resourceSpans": [', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/malformed JSON/);
  });

  it('oversized body -> 413, also when only the gunzipped size is too large', async () => {
    const big = encodeProto(sim(12, 400));
    expect(big.length).toBeGreaterThan(400_000);
    expect((await post(big, { 'content-type': 'application/x-protobuf' })).status).toBe(413);
    const zipped = gzipSync(big);
    expect(zipped.length).toBeLessThan(400_000);
    expect((await post(zipped, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' })).status).toBe(413);
  });

  it('Content-Encoding: zstd (as the Collector can send): decoded and stored; a zstd bomb -> 413; garbage -> 400', async () => {
    const zstdPost = (b: Buffer) => post(b, { 'content-type': 'application/x-protobuf', 'content-encoding': 'zstd' });
    const spans = sim(14, 10);
    expect((await zstdPost(zstdFrame([{ raw: encodeProto(spans) }]))).status).toBe(200);
    expect(await stored(spans)).toEqual(expected(spans));
    // Where the zstd program is installed (Debian's zstd), a frame it compressed too.
    if (hasZstdProgram()) {
      const more = sim(15, 10);
      expect((await zstdPost(execFileSync('zstd', ['-q', '-c', '-3'], { input: encodeProto(more) }))).status).toBe(200);
      expect(await stored(more)).toEqual(expected(more));
    }
    const bomb = zstdFrame([{ rle: 0, size: 50_000_000 }]);
    expect(bomb.length).toBeLessThan(2_000);
    expect((await zstdPost(bomb)).status).toBe(413);
    expect((await zstdPost(Buffer.from('not zstd at all'))).status).toBe(400);
  });

  it('unsupported content type -> 415', async () => {
    expect((await post('x', { 'content-type': 'text/plain' })).status).toBe(415);
  });
});

describe('OTLP/gRPC error paths', () => {
  const call = (body: Buffer) => rawGrpcExport(h.app.ports.grpc, body);

  it('malformed protobuf -> INVALID_ARGUMENT', async () => {
    const r = await call(Buffer.from([0x0a, 0xff, 0xff, 0x01]));
    expect(r?.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('oversized message -> RESOURCE_EXHAUSTED', async () => {
    const r = await call(encodeProto(sim(13, 400)));
    expect(r?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
  });
});
