/** OTLP/gRPC receiver: opentelemetry.proto.collector.trace.v1.TraceService/Export, raw bytes in, our decoder on them. */
import * as grpc from '@grpc/grpc-js';
import { formatAddress, type ListenAddress } from '../config.js';
import { checkBearerToken } from '../bearer-token.js';
import { FaultlineError, GrpcCode, asFaultlineError } from '../errors.js';
import type { Logger } from '../log.js';
import type { SelfMetrics } from '../self-metrics.js';
import { decodeExportRequestProto } from './decode-protobuf.js';
import { handleDecodedExport, type TimePolicy } from './export-handler.js';
import { encodeExportResponseProto } from './export-response.js';
import { encodeRpcStatus } from './proto-writer.js';
import type { SpanSink } from './span-sink.js';

const identity = (b: Buffer): Buffer => b;

const TRACE_SERVICE: grpc.ServiceDefinition = {
  Export: {
    path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

export interface GrpcReceiverOptions {
  address: ListenAddress;
  maxMessageBytes: number;
  sink: SpanSink;
  metrics: SelfMetrics;
  log: Logger;
  /** When set, calls must carry `authorization: Bearer <token>` metadata (as the Collector's bearertokenauth sends). */
  token?: string | undefined;
  timePolicy?: TimePolicy;
  tls?: { cert: Buffer; key: Buffer } | undefined;
}

export interface GrpcReceiver {
  /** The bound port (useful when asked for port 0). */
  port: number;
  /** Stops accepting new calls and waits for in-flight ones (they finish once their spans are committed). */
  close(): Promise<void>;
}

export async function startGrpcReceiver(opts: GrpcReceiverOptions): Promise<GrpcReceiver> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': opts.maxMessageBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
  server.addService(TRACE_SERVICE, {
    Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      if (opts.token !== undefined) {
        try {
          const header = call.metadata.get('authorization')[0];
          checkBearerToken(typeof header === 'string' ? header : header?.toString(), opts.token);
        } catch (err) {
          callback(toGrpcError(err, opts.log));
          return;
        }
      }
      const deadline = call.getDeadline();
      const deadlineMs = deadline instanceof Date ? deadline.getTime() : Number.isFinite(deadline) ? deadline : undefined;
      const refused = opts.sink.refusal?.(deadlineMs);
      if (refused) {
        opts.metrics.exportRequests.inc({ transport: 'grpc', outcome: 'refused_early' });
        callback(toGrpcError(refused, opts.log));
        return;
      }
      void exportCall(call.request, opts, deadlineMs).then(
        (response) => callback(null, response),
        (err: unknown) => callback(toGrpcError(err, opts.log)),
      );
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(formatAddress(opts.address), opts.tls ? grpc.ServerCredentials.createSsl(null, [{ cert_chain: opts.tls.cert, private_key: opts.tls.key }], false) : grpc.ServerCredentials.createInsecure(), (err, boundPort) => {
      if (err) reject(new Error(`cannot listen for OTLP/gRPC on ${formatAddress(opts.address)}: ${err.message} (is the port already in use?)`));
      else resolve(boundPort);
    });
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.forceShutdown(), 30_000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

async function exportCall(body: Buffer, opts: GrpcReceiverOptions, deadlineMs: number | undefined): Promise<Buffer> {
  const decoded = decodeExportRequestProto(body);
  const outcome = await handleDecodedExport(decoded, 'grpc', opts.sink, opts.metrics, opts.timePolicy, deadlineMs);
  return encodeExportResponseProto(outcome);
}

function toGrpcError(err: unknown, log: Logger): grpc.ServiceError {
  const fe: FaultlineError | undefined = asFaultlineError(err);
  const code = fe?.grpcCode ?? GrpcCode.INTERNAL;
  const message = fe ? fe.message : 'internal error';
  if (!fe) log.error('OTLP/gRPC export failed', { err });
  const metadata = new grpc.Metadata();
  if (fe?.retryAfterSeconds !== undefined) {
    metadata.set('grpc-status-details-bin', encodeRpcStatus(code, message, fe.retryAfterSeconds));
  }
  return Object.assign(new Error(message), { code, details: message, metadata });
}
