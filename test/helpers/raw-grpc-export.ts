/**
 * Raw OTLP/gRPC exports for error-path tests: whole requests through a grpc-js client (`rawGrpcExport`), or an
 * Export stream on an HTTP/2 session the test holds (`openExportStream`), to send a body as it likes.
 */
import * as grpc from '@grpc/grpc-js';
import type { ClientHttp2Session, ClientHttp2Stream, ClientSessionRequestOptions } from 'node:http2';

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const identity = (b: Buffer): Buffer => b;

export function rawGrpcExport(port: number, body: Buffer): Promise<grpc.ServiceError | null> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': -1 });
  return new Promise((resolve) =>
    client.makeUnaryRequest(EXPORT_PATH, identity, identity, body, (err) => {
      client.close();
      resolve(err);
    }),
  );
}

/** Opens a TraceService/Export call on `session`: the request headers only; the test writes the gRPC frames. */
export function openExportStream(session: ClientHttp2Session, options?: ClientSessionRequestOptions): ClientHttp2Stream {
  return session.request({ ':method': 'POST', ':path': EXPORT_PATH, 'content-type': 'application/grpc', te: 'trailers' }, options);
}
