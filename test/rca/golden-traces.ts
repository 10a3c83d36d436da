/**
 * Lays out the hand-written request trees of test/rca/testdata/*.json as stored spans: each node has its own time
 * (`self`, half before its children and half after), children run one after another unless `parallel`, `times`
 * repeats a child in a row (N+1), `gapBefore` waits before a child (a retry backoff), `async` children are not
 * waited for, and a client's `timeoutMs` cuts it short (with an error) while its server span carries on.
 */
import type { RequestSample, StoredTraceSpan } from '../../src/store/request-traces.js';

export interface TreeNode {
  service: string;
  kind: 'server' | 'client' | 'internal' | 'producer' | 'consumer';
  self?: number;
  error?: boolean;
  parallel?: boolean;
  times?: number;
  gapBefore?: number;
  async?: boolean;
  timeoutMs?: number;
  peer?: Record<string, string>;
  children?: TreeNode[];
}

export interface Population {
  /** How many requests of this shape. */
  count: number;
  trace: TreeNode;
}

const KIND_NAMES = { server: 'Server', client: 'Client', internal: 'Internal', producer: 'Producer', consumer: 'Consumer' } as const;

export function layoutRequests(populations: Population[], traceOffset = 0): RequestSample {
  const entries: RequestSample['entries'] = [];
  const spans: StoredTraceSpan[] = [];
  let traceNo = traceOffset;
  let spanNo = 0;
  for (const p of populations) {
    for (let i = 0; i < p.count; i++) {
      const traceId = (++traceNo).toString(16).padStart(32, '0');
      const layout = (node: TreeNode, start: number, parentSpanId: string): number => {
        const spanId = (++spanNo).toString(16).padStart(16, '0');
        const self = node.self ?? 0;
        let t = start + self / 2;
        const children = node.children ?? [];
        if (node.parallel) {
          const ends = children.map((c) => ({ c, end: layout(c, t, spanId) }));
          t = Math.max(t, ...ends.filter((x) => !x.c.async).map((x) => x.end));
        } else {
          for (const c of children) {
            for (let k = 0; k < (c.times ?? 1); k++) {
              t += c.gapBefore ?? 0;
              const end = layout(c, t, spanId);
              if (!c.async) t = end;
            }
          }
        }
        let end = t + self / 2;
        let error = node.error ?? false;
        if (node.timeoutMs !== undefined && end - start > node.timeoutMs) {
          end = start + node.timeoutMs;
          error = true;
        }
        spans.push({
          traceId,
          spanId,
          parentSpanId,
          service: node.service,
          kind: KIND_NAMES[node.kind],
          startNs: String(BigInt(Math.round(start * 1e6)) + 1_700_000_000_000_000_000n),
          durationNs: Math.round((end - start) * 1e6),
          failed: error,
          peerAttributes: node.peer ?? {},
        });
        if (parentSpanId === '') entries.push({ traceId, spanId });
        return end;
      };
      layout(p.trace, 0, '');
    }
  }
  return { entries, spans };
}
