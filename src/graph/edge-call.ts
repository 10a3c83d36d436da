/** What the pairer emits: one row per call between two nodes, and one timing row per span. */
import type { NodeKind } from './virtual-peer.js';

export interface EdgeCall {
  /** Minute of the client span's start, in minutes since the Unix epoch. */
  minute: number;
  client: string;
  server: string;
  /** Deployment environments of the client's and the server's resources ('' when none; a virtual node has the client's). */
  clientEnvironment: string;
  serverEnvironment: string;
  serverKind: NodeKind;
  connectionType: string;
  clientDurationNs: number;
  /** 0 for a virtual node (no server span). */
  serverDurationNs: number;
  failed: boolean;
}

/** A settled span's timing: feeds the per-minute span rollup (duration and self-time sketches, errors). */
export interface SpanTiming {
  /** Minute of the span's start, in minutes since the Unix epoch. */
  minute: number;
  serviceName: string;
  environment: string;
  spanName: string;
  /** SpanKind name as stored ('Server', 'Client', ...). */
  spanKind: string;
  durationNs: number;
  selfTimeNs: number;
  failed: boolean;
}

/** What is known of a client span that called nobody we can name. */
export interface UnpairedCall {
  environment: string;
  durationNs: number;
  failed: boolean;
}

export interface PairingListener {
  onEdge(call: EdgeCall): void;
  onSpanTiming(row: SpanTiming): void;
  /**
   * A client span with no instrumented child and no peer attribute (with its call: the connector's `unknown`
   * virtual node), or a server span whose client never came.
   */
  onUnpaired(side: 'client' | 'server', service: string, call?: UnpairedCall): void;
  /** Evicted before its wait ended because too many spans were pending. */
  onEvicted(count: number): void;
}
