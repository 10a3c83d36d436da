/** What both OTLP receivers (gRPC and HTTP) are started with. */
import type { ListenAddress } from '../config.js';
import type { Logger } from '../log.js';
import type { SelfMetrics } from '../self-metrics.js';
import type { AdmissionLimit } from './admission-limit.js';
import type { TimePolicy } from './export-handler.js';
import type { SpanSink } from './span-sink.js';

export interface ReceiverOptions {
  address: ListenAddress;
  /** Largest request, compressed or not. */
  maxMessageBytes: number;
  /** Longest a client may take to send a request (HTTP) or an export's body once its headers arrived (gRPC). */
  requestTimeoutMs: number;
  /** On close, how long unfinished exports may go on before their connections are closed. */
  shutdownGraceMs?: number;
  sink: SpanSink;
  metrics: SelfMetrics;
  log: Logger;
  /** When set, exports must carry `authorization: Bearer <token>` (gRPC metadata or HTTP header). */
  token?: string | undefined;
  timePolicy?: TimePolicy;
  tls?: { cert: Buffer; key: Buffer } | undefined;
  /** Bounds the export calls in flight; one limit shared by both receivers. */
  admission?: AdmissionLimit | undefined;
}

/** A started receiver. */
export interface Receiver {
  /** The bound port (useful when asked for port 0). */
  port: number;
  /** Stops accepting and waits for in-flight exports (they finish once their spans are committed). */
  close(): Promise<void>;
}
