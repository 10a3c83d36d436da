/** OTLP/gRPC receiver: opentelemetry.proto.collector.trace.v1.TraceService/Export, raw bytes in, our decoder on them. */
import * as grpc from '@grpc/grpc-js';
import * as http2 from 'node:http2';
import { formatAddress } from '../config.js';
import { checkBearerToken } from '../bearer-token.js';
import { FaultlineError, GrpcCode, asFaultlineError } from '../errors.js';
import type { Logger } from '../log.js';
import { decodeExportRequestProto } from './decode-protobuf.js';
import { handleDecodedExport } from './export-handler.js';
import { encodeExportResponseProto } from './export-response.js';
import { encodeRpcStatus } from './proto-writer.js';
import { refusalOnArrival, refusalOnBody } from './admission-limit.js';
import { setConnectionReceiveWindow, setStreamReceiveWindow } from './grpc-receive-window.js';
import type { Receiver, ReceiverOptions } from './receiver-options.js';

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

export interface GrpcReceiverOptions extends ReceiverOptions {
  /** HTTP/2 receive window per connection and per export (grpc-receive-window.ts); Node's 64 KiB when unset. */
  receiveWindowBytes?: number;
}
export type GrpcReceiver = Receiver;

export async function startGrpcReceiver(opts: GrpcReceiverOptions): Promise<GrpcReceiver> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': opts.maxMessageBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
    // One connection may not open unbounded streams; idle or dead peers are found by keepalive pings.
    'grpc.max_concurrent_streams': 100,
    'grpc.keepalive_time_ms': 60_000,
    'grpc.keepalive_timeout_ms': 20_000,
    interceptors: [admitOnHeaders(opts)],
  });
  server.addService(TRACE_SERVICE, {
    Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      const deadlineMs = deadlineOf(call.getDeadline());
      void exportCall(call.request, opts, deadlineMs).then(
        (response) => callback(null, response),
        (err: unknown) => callback(toGrpcError(err, opts.log)),
      );
    },
  });
  const window = opts.receiveWindowBytes;
  const streamWindowSet = window !== undefined && setStreamReceiveWindow(server, window);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      formatAddress(opts.address),
      opts.tls
        ? grpc.ServerCredentials.createSsl(null, [{ cert_chain: opts.tls.cert, private_key: opts.tls.key }], false)
        : grpc.ServerCredentials.createInsecure(),
      (err, boundPort) => {
        if (err)
          reject(new Error(`cannot listen for OTLP/gRPC on ${formatAddress(opts.address)}: ${err.message} (is the port already in use?)`));
        else resolve(boundPort);
      },
    );
  });
  if (window !== undefined && !(streamWindowSet && setConnectionReceiveWindow(server, window))) {
    opts.log.warn("cannot widen the OTLP/gRPC receive window in this grpc-js version; Node's 64 KiB default stays", { wanted: window });
  }
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Calls still sending their body were not acknowledged: past the grace they are cut (the client retries).
        const timer = setTimeout(() => server.forceShutdown(), opts.shutdownGraceMs ?? 20_000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

/**
 * Decides on a call when its headers arrive, before its body: a caller without the token, or a call the ingest
 * queue would make wait past its deadline, is answered at once and its body is never read. Under overload this is
 * what keeps the refused calls cheap: otherwise every in-flight body shares the connection's flow-control window,
 * all of them arrive late, and admitted and refused calls alike miss their deadlines (measured: at 2x capacity,
 * deciding after the body left 3,635 of 11,600 calls to time out in transit).
 */
function admitOnHeaders(opts: GrpcReceiverOptions): grpc.ServerInterceptor {
  return (_method, call) => {
    let admittedAt: number | undefined;
    let bodyTimer: NodeJS.Timeout | undefined;
    const release = (): void => {
      if (bodyTimer) clearTimeout(bodyTimer);
      bodyTimer = undefined;
      if (admittedAt === undefined) return;
      opts.admission?.release(admittedAt);
      admittedAt = undefined;
    };
    return new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, accept) => {
            const refused = admissionRefusal(metadata, deadlineOf(call.getDeadline()), opts);
            if (refused) {
              const err = toGrpcError(refused, opts.log);
              call.sendStatus({ code: err.code, details: err.details, metadata: err.metadata });
              stopBody(call);
              return;
            }
            // The admission slot is taken once the body is complete (onReceiveMessage): a client that sends its
            // headers and then stalls holds none. Its body has FAULTLINE_REQUEST_TIMEOUT to arrive, then the call is
            // ended (retryable), so stalled streams do not pile up either.
            bodyTimer = setTimeout(() => {
              bodyTimer = undefined;
              opts.metrics.exportRequests.inc({ transport: 'grpc', outcome: 'body_timeout' });
              opts.log.debug('OTLP/gRPC export body did not arrive in time', { timeoutMs: opts.requestTimeoutMs });
              call.sendStatus({
                code: grpc.status.UNAVAILABLE,
                details: `the request body did not arrive within ${opts.requestTimeoutMs} ms`,
                metadata: new grpc.Metadata(),
              });
              stopBody(call);
            }, opts.requestTimeoutMs);
            bodyTimer.unref();
            accept(metadata);
          },
          onReceiveMessage: (message, next) => {
            if (bodyTimer) clearTimeout(bodyTimer);
            bodyTimer = undefined;
            const refused = opts.admission ? refusalOnBody(opts.admission) : undefined;
            if (refused) {
              opts.metrics.exportRequests.inc({ transport: 'grpc', outcome: 'refused_on_body' });
              const err = toGrpcError(refused, opts.log);
              call.sendStatus({ code: err.code, details: err.details, metadata: err.metadata });
              return;
            }
            if (opts.admission) admittedAt = performance.now();
            next(message);
          },
          onCancel: release,
        }),
      sendStatus: (status, next) => {
        release();
        next(status);
      },
    });
  };
}

/**
 * After a complete response, asks the client to stop sending the request body (RST_STREAM NO_ERROR, as RFC 9113
 * 8.1 allows and grpc-go does), so a refused call does not keep costing bandwidth and CPU. grpc-js keeps the
 * HTTP/2 stream private; where its shape differs, the body is read and discarded as before.
 */
function stopBody(call: grpc.ServerInterceptingCallInterface): void {
  const stream = (call as unknown as { stream?: { close?: (code: number) => void; closed?: boolean } }).stream;
  if (stream && typeof stream.close === 'function' && !stream.closed) stream.close(http2.constants.NGHTTP2_NO_ERROR);
}

function admissionRefusal(metadata: grpc.Metadata, deadlineMs: number | undefined, opts: GrpcReceiverOptions): Error | undefined {
  if (opts.token !== undefined) {
    try {
      const header = metadata.get('authorization')[0];
      checkBearerToken(typeof header === 'string' ? header : header?.toString(), opts.token);
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  }
  const refused = refusalOnArrival(opts.sink, opts.admission, deadlineMs);
  if (refused) opts.metrics.exportRequests.inc({ transport: 'grpc', outcome: 'refused_early' });
  return refused;
}

function deadlineOf(deadline: grpc.Deadline): number | undefined {
  return deadline instanceof Date ? deadline.getTime() : Number.isFinite(deadline) ? deadline : undefined;
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
