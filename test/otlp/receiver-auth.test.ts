/**
 * Receiver auth and TLS: with FAULTLINE_OTLP_TOKEN set, OTLP over gRPC (metadata) and HTTP (header) is refused
 * without the token, as the Collector's bearertokenauth sends it; with FAULTLINE_TLS_* every listener speaks TLS
 * (a self-signed certificate made by openssl here); tokens from *_FILE; separate read and webhook tokens.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { encodeProto, toReadableSpan } from '../sim/otlp-encode.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-tls-'));
const certFile = join(dir, 'cert.pem');
const keyFile = join(dir, 'key.pem');
const tokenFile = join(dir, 'otlp-token');
let h: Harness;
let cert: Buffer;

beforeAll(async () => {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  cert = readFileSync(certFile);
  writeFileSync(tokenFile, 'otlp-secret\n');
  h = await startHarness({
    FAULTLINE_OTLP_TOKEN_FILE: tokenFile,
    FAULTLINE_API_TOKEN: 'reader',
    FAULTLINE_WEBHOOK_TOKEN: 'alertmanager',
    FAULTLINE_TLS_CERT_FILE: certFile,
    FAULTLINE_TLS_KEY_FILE: keyFile,
  });
});
afterAll(async () => {
  await h.stop();
  rmSync(dir, { recursive: true, force: true });
});

const spans = () => simulate(ciPipeline, { seed: 5, startMs: Date.now() - 60_000, durationMs: 10_000, requests: 3 }).spans;

/** An HTTPS request trusting only our self-signed certificate. */
function https(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer | string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, ca: cert, servername: 'localhost' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const grpcExport = (metadata: grpc.Metadata | undefined) =>
  new Promise<ExportResult>((resolve) => {
    const exporter = new GrpcExporter({
      url: `https://localhost:${h.app.ports.grpc}`,
      credentials: grpc.credentials.createSsl(cert),
      ...(metadata ? { metadata } : {}),
    });
    exporter.export(spans().map(toReadableSpan), (r) => {
      resolve(r);
      void exporter.shutdown();
    });
  });

describe('OTLP receivers with a token and TLS', () => {
  it('OTLP/HTTP over TLS: 401 without the token (or with a wrong one), 200 with it', async () => {
    const body = encodeProto(spans());
    const type = { 'content-type': 'application/x-protobuf' };
    const none = await https(h.app.ports.http, 'POST', '/v1/traces', type, body);
    expect(none.status).toBe(401);
    expect((await https(h.app.ports.http, 'POST', '/v1/traces', { ...type, authorization: 'Bearer nope' }, body)).status).toBe(401);
    expect((await https(h.app.ports.http, 'POST', '/v1/traces', { ...type, authorization: 'Bearer otlp-secret' }, body)).status).toBe(200);
  });

  it('OTLP/gRPC over TLS (official exporter): UNAUTHENTICATED without the token, success with it', async () => {
    const refused = await grpcExport(undefined);
    expect(refused.code).toBe(ExportResultCode.FAILED);
    expect(String(refused.error)).toMatch(/UNAUTHENTICATED|bearer/i);
    const md = new grpc.Metadata();
    md.set('authorization', 'Bearer otlp-secret');
    expect((await grpcExport(md)).code).toBe(ExportResultCode.SUCCESS);
  });

  it('plain-text clients cannot talk to the TLS listeners', async () => {
    await expect(fetch(`http://127.0.0.1:${h.app.ports.api}/healthz`)).rejects.toThrow();
  });

  it('the read API and the webhook take their own tokens', async () => {
    const api = h.app.ports.api;
    expect((await https(api, 'GET', '/api/v1/incidents', { authorization: 'Bearer reader' })).status).toBe(200);
    expect((await https(api, 'GET', '/api/v1/incidents', { authorization: 'Bearer alertmanager' })).status).toBe(401);
    const webhook = JSON.stringify(alertmanagerWebhook([{ service: 'builder', startsAt: new Date() }]));
    const json = { 'content-type': 'application/json' };
    expect((await https(api, 'POST', '/api/v1/alerts/alertmanager', { ...json, authorization: 'Bearer reader' }, webhook)).status).toBe(
      401,
    );
    expect(
      (await https(api, 'POST', '/api/v1/alerts/alertmanager', { ...json, authorization: 'Bearer alertmanager' }, webhook)).status,
    ).toBe(202);
    expect((await https(api, 'GET', '/healthz', {})).status).toBe(200);
  });
});
