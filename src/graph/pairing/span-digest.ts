/**
 * What the graph stage needs of a batch of spans (ids as numeric keys, times, kind, status, names, the peer a client
 * span names), in typed arrays. Taken when an export is accepted, so the decoded spans need not stay alive until
 * their insert commits; the pairer and the span metrics read it after the commit.
 */
import { SpanKind, type Span } from '../../span.js';
import { spanKeyOf, traceFingerprintOf } from './span-key.js';
import { environmentOf } from '../environment.js';
import { isPoolWait, virtualPeerOf, type NodeKind } from '../virtual-peer.js';

export const PEER_KINDS: readonly Exclude<NodeKind, 'service'>[] = ['database', 'messaging', 'external'];
export const NO_PEER = 255;

export interface SpanDigest {
  count: number;
  /** Start of the first span: `start` holds offsets from it, exact for ~104 days either side. */
  epochNs: bigint;
  spanKey: Float64Array;
  /** -1 for a root span. */
  parentKey: Float64Array;
  traceFingerprint: Int32Array;
  start: Float64Array;
  duration: Float64Array;
  kind: Uint8Array;
  statusCode: Uint8Array;
  service: string[];
  /** The resource's deployment environment (environmentOf), '' when it names none. */
  environment: string[];
  name: string[];
  /** For client and producer spans that name an uninstrumented peer (virtual-peer.ts); '' otherwise. */
  peerName: string[];
  /** Index into PEER_KINDS, or NO_PEER. */
  peerKind: Uint8Array;
}

export function digestSpans(spans: readonly Span[]): SpanDigest {
  const n = spans.length;
  const epochNs = n > 0 ? spans[0]!.startNs : 0n;
  const d: SpanDigest = {
    count: n,
    epochNs,
    spanKey: new Float64Array(n),
    parentKey: new Float64Array(n),
    traceFingerprint: new Int32Array(n),
    start: new Float64Array(n),
    duration: new Float64Array(n),
    kind: new Uint8Array(n),
    statusCode: new Uint8Array(n),
    service: new Array<string>(n),
    environment: new Array<string>(n),
    name: new Array<string>(n),
    peerName: new Array<string>(n),
    peerKind: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    d.spanKey[i] = spanKeyOf(s.spanId);
    d.parentKey[i] = spanKeyOf(s.parentSpanId);
    d.traceFingerprint[i] = traceFingerprintOf(s.traceId);
    d.start[i] = Number(s.startNs - epochNs);
    d.duration[i] = s.durationNs;
    // A wait for a pooled connection is the caller's own time: an internal span, not a call.
    d.kind[i] = s.kind === SpanKind.CLIENT && isPoolWait(s.name) ? SpanKind.INTERNAL : s.kind;
    d.statusCode[i] = s.statusCode;
    d.service[i] = s.serviceName;
    d.environment[i] = environmentOf(s.resource);
    d.name[i] = s.name;
    const peer = d.kind[i] === SpanKind.CLIENT || d.kind[i] === SpanKind.PRODUCER ? virtualPeerOf(s.attributes) : undefined;
    d.peerName[i] = peer ? peer.name : '';
    d.peerKind[i] = peer ? PEER_KINDS.indexOf(peer.kind) : NO_PEER;
  }
  return d;
}
