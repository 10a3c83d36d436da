/**
 * Percentile queries for the API and RCA. Windows up to `rawMaxWindowMs` read raw spans (exact quantiles, exact
 * window edges); longer ones read the per-minute rollups (DDSketch, 0.5% relative error, minute-aligned).
 */
import type { Store } from './clickhouse-store.js';
import type { LatencyRow } from './query-catalog.js';

export const MAX_QUANTILES = 5;

export interface LatencyRequest {
  service: string;
  operation: string;
  startMs: number;
  endMs: number;
  quantiles: number[];
  /** Deployment environment ('' or absent: all). */
  environment?: string;
}

export interface LatencyResult {
  count: number;
  errors: number;
  /** Same order as the requested quantiles, in nanoseconds; empty when count is 0. */
  quantilesNs: number[];
  source: 'raw' | 'rollup';
}

export interface ServiceSummary {
  name: string;
  kind: string;
  spanCount: number;
  requests: number;
  errors: number;
  p50Ns: number;
  p99Ns: number;
  /** Seconds of the window that hold its data (from its first to its last span): what a rate divides by. */
  dataSeconds: number;
}

const useRaw = (startMs: number, endMs: number, rawMaxWindowMs: number): boolean => endMs - startMs <= rawMaxWindowMs;

export async function serviceLatency(store: Store, req: LatencyRequest, rawMaxWindowMs: number): Promise<LatencyResult> {
  if (req.quantiles.length === 0 || req.quantiles.length > MAX_QUANTILES) throw new Error(`1..${MAX_QUANTILES} quantiles`);
  const slots = Array.from({ length: MAX_QUANTILES }, (_, i) => req.quantiles[Math.min(i, req.quantiles.length - 1)]!);
  const source = useRaw(req.startMs, req.endMs, rawMaxWindowMs) ? 'raw' : 'rollup';
  const [row] = await store.query(`service_latency_${source}`, {
    service: req.service,
    operation: req.operation,
    environment: req.environment ?? '',
    start: req.startMs,
    end: req.endMs,
    q1: slots[0],
    q2: slots[1],
    q3: slots[2],
    q4: slots[3],
    q5: slots[4],
  });
  const count = Number(row?.count ?? 0);
  return {
    count,
    errors: Number(row?.errors ?? 0),
    quantilesNs: count > 0 ? (row?.quantilesNs ?? []).slice(0, req.quantiles.length).map(Number) : [],
    source,
  };
}

export async function listServices(
  store: Store,
  startMs: number,
  endMs: number,
  rawMaxWindowMs: number,
  environment = '',
): Promise<ServiceSummary[]> {
  const params = { start: startMs, end: endMs, environment };
  const source = useRaw(startMs, endMs, rawMaxWindowMs) ? 'raw' : 'rollup';
  const [services, virtual] = await Promise.all([store.query(`services_${source}`, params), store.query('virtual_nodes', params)]);
  const toSummary = (r: LatencyRow, kind: string): ServiceSummary => ({
    name: r.name,
    kind,
    spanCount: Number(r.spanCount),
    requests: Number(r.requests ?? r.spanCount),
    errors: Number(r.errors),
    p50Ns: Number(r.quantilesNs[0] ?? 0) || 0,
    p99Ns: Number(r.quantilesNs[1] ?? 0) || 0,
    // Seconds of data in the window (at least one): a service that started sending 2 minutes ago has a 2-minute rate.
    dataSeconds:
      r.firstMs !== undefined && r.lastMs !== undefined
        ? Math.max(1, (Math.min(Number(r.lastMs), endMs) - Math.max(Number(r.firstMs), startMs)) / 1000)
        : (endMs - startMs) / 1000,
  });
  const known = new Set(services.map((s) => s.name));
  return [
    ...services.map((r) => toSummary(r, 'service')),
    ...virtual.filter((v) => !known.has(v.name)).map((r) => toSummary(r, r.kind ?? 'external')),
  ];
}

export interface EdgeLatency {
  calls: number;
  errors: number;
  /** [p50, p99] in ns, client side and server side. */
  clientQuantilesNs: number[];
  serverQuantilesNs: number[];
}

/** One edge's calls and latency over a window, from the edge rollup. */
export async function edgeLatency(
  store: Store,
  client: string,
  server: string,
  startMs: number,
  endMs: number,
  environment = '',
): Promise<EdgeLatency> {
  const [row] = await store.query('edge_latency_rollup', { client, server, start: startMs, end: endMs, environment });
  return {
    calls: Number(row?.calls ?? 0),
    errors: Number(row?.errors ?? 0),
    clientQuantilesNs: (row?.clientQuantilesNs ?? []).map(Number),
    serverQuantilesNs: (row?.serverQuantilesNs ?? []).map(Number),
  };
}
