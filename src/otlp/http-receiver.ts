/** OTLP/HTTP receiver: POST /v1/traces, application/x-protobuf or application/json, gzip accepted. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientGoneError, FaultlineError, GrpcCode, InputError, asFaultlineError } from '../errors.js';
import { readBody } from '../http-body.js';
import { checkBearerToken } from '../bearer-token.js';
import { closeServer, createServer, listen } from '../http-listen.js';
import { decodeExportRequestJson } from './decode-json.js';
import { decodeExportRequestProto } from './decode-protobuf.js';
import { handleDecodedExport } from './export-handler.js';
import { encodeExportResponseJson, encodeExportResponseProto } from './export-response.js';
import { encodeRpcStatus } from './proto-writer.js';
import { refusalOnArrival, refusalOnBody } from './admission-limit.js';
import type { Receiver, ReceiverOptions } from './receiver-options.js';

export type HttpReceiverOptions = ReceiverOptions;
export type HttpReceiver = Receiver;

type Format = 'proto' | 'json';

export async function startHttpReceiver(opts: HttpReceiverOptions): Promise<HttpReceiver> {
  const server = createServer((req, res) => void handle(req, res, opts), opts.tls, opts.requestTimeoutMs);
  server.keepAliveTimeout = 65_000;
  await listen(server, opts.address, 'OTLP/HTTP');
  return {
    port: (server.address() as AddressInfo).port,
    close: () => closeServer(server, opts.shutdownGraceMs),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: HttpReceiverOptions): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  if (path !== '/v1/traces') return reply(res, 404, 'json', notFoundBody(path ?? ''));
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return reply(res, 405, 'json', JSON.stringify({ code: GrpcCode.INVALID_ARGUMENT, message: 'use POST /v1/traces' }));
  }
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const format: Format | undefined =
    contentType === 'application/x-protobuf' ? 'proto' : contentType === 'application/json' ? 'json' : undefined;
  if (!format) {
    req.resume();
    return reply(
      res,
      415,
      'json',
      JSON.stringify({
        code: GrpcCode.INVALID_ARGUMENT,
        message: `unsupported Content-Type ${JSON.stringify(contentType)}: use application/x-protobuf or application/json`,
      }),
    );
  }
  let admittedAt: number | undefined;
  try {
    if (opts.token !== undefined) checkBearerToken(req.headers.authorization, opts.token);
    // Refused on its headers when there is no room now; the slot itself is taken once the body has arrived, so a
    // client that trickles its body holds none.
    const refused = refusalOnArrival(opts.sink, opts.admission);
    if (refused) {
      req.resume();
      throw refused;
    }
    const body = await readBody(req, opts.maxMessageBytes);
    const full = opts.admission ? refusalOnBody(opts.admission) : undefined;
    if (full) throw full;
    if (opts.admission) admittedAt = performance.now();
    const decoded = format === 'proto' ? decodeExportRequestProto(body) : decodeExportRequestJson(body);
    const outcome = await handleDecodedExport(decoded, 'http', opts.sink, opts.metrics, opts.timePolicy);
    reply(res, 200, format, format === 'proto' ? encodeExportResponseProto(outcome) : encodeExportResponseJson(outcome));
  } catch (err) {
    const fe: FaultlineError | undefined = asFaultlineError(err);
    if (!fe) opts.log.error('OTLP/HTTP export failed', { err });
    if (fe instanceof InputError) opts.metrics.exportRequests.inc({ transport: 'http', outcome: fe.code });
    if (fe instanceof ClientGoneError) {
      opts.metrics.exportRequests.inc({ transport: 'http', outcome: fe.code });
      opts.log.debug('OTLP/HTTP client went away mid-request', { err: fe });
      res.destroy();
      return;
    }
    const status = fe?.httpStatus ?? 500;
    const code = fe?.grpcCode ?? GrpcCode.INTERNAL;
    const message = fe?.message ?? 'internal error';
    if (fe?.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(fe.retryAfterSeconds));
    if (status === 401) {
      req.resume();
      res.setHeader('WWW-Authenticate', 'Bearer');
    }
    // OTLP/HTTP: the error body is a google.rpc.Status in the request's encoding.
    reply(res, status, format, format === 'proto' ? encodeRpcStatus(code, message) : JSON.stringify({ code, message }));
  } finally {
    if (admittedAt !== undefined) opts.admission?.release(admittedAt);
  }
}

function notFoundBody(path: string): string {
  return JSON.stringify({ code: GrpcCode.NOT_FOUND, message: `no route ${path}: OTLP/HTTP traces go to POST /v1/traces` });
}

function reply(res: ServerResponse, status: number, format: Format, body: Buffer | string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', format === 'proto' ? 'application/x-protobuf' : 'application/json');
  res.end(body);
}
