/** GET /api/v1/services and GET /api/v1/services/:name/latency (README, "API"). */
import type { Config } from '../config.js';
import { InputError } from '../errors.js';
import type { Store } from '../store/clickhouse-store.js';
import { MAX_QUANTILES, listServices, serviceLatency } from '../store/latency-queries.js';
import { serviceSeries } from '../store/service-series.js';
import { isoTime } from '../time-units.js';
import type { Router } from './router.js';
import { allowParams, environmentParam, windowFromQuery } from './time-window.js';
import { nsToMs } from '../time-units.js';

export function parseQuantiles(raw: string | null): number[] {
  if (raw === null || raw.trim() === '') return [0.5, 0.99];
  const qs = raw.split(',').map((s) => s.trim());
  if (qs.length > MAX_QUANTILES) throw new InputError(`at most ${MAX_QUANTILES} quantiles`);
  return qs.map((s) => {
    const q = Number(s);
    if (s === '' || !Number.isFinite(q) || q <= 0 || q > 1)
      throw new InputError(`quantile ${JSON.stringify(s)} must be a number in (0, 1]`);
    return q;
  });
}

export function addServiceRoutes(router: Router, store: Store, config: Config): void {
  const { maxWindowMs, rawMaxWindowMs, defaultWindowMs } = config.api;

  router.get('/api/v1/services', async ({ query }) => {
    allowParams(query, ['start', 'end', 'environment']);
    const w = windowFromQuery(query, defaultWindowMs, maxWindowMs);
    const services = await listServices(store, w.startMs, w.endMs, rawMaxWindowMs, environmentParam(query));
    return services.map((s) => ({
      name: s.name,
      kind: s.kind,
      // spanCount: every span of the service (its client and internal spans too); requests: the ones it served.
      spanCount: s.spanCount,
      requests: s.requests,
      // Per second of the window that holds its data: a service sending for 2 minutes of a 15-minute window.
      requestsPerSecond: Math.round((s.requests / s.dataSeconds) * 1000) / 1000,
      errorRate: s.requests > 0 ? s.errors / s.requests : 0,
      p50Ms: nsToMs(s.p50Ns),
      p99Ms: nsToMs(s.p99Ns),
    }));
  });

  // Per-minute (or wider, for long windows) points for charts, from the rollup.
  router.get('/api/v1/services/:name/series', async ({ params, query }) => {
    allowParams(query, ['start', 'end', 'environment']);
    const w = windowFromQuery(query, defaultWindowMs, maxWindowMs);
    if (params.name!.length > 512) throw new InputError('service name too long');
    const s = await serviceSeries(store, params.name!, w.startMs, w.endMs, environmentParam(query));
    return {
      service: params.name,
      stepMs: s.stepMs,
      points: s.points.map((p) => ({ at: isoTime(p.atMs), requests: p.requests, errorRate: p.errorRate, p50Ms: p.p50Ms, p99Ms: p.p99Ms })),
    };
  });

  router.get('/api/v1/services/:name/latency', async ({ params, query }) => {
    allowParams(query, ['start', 'end', 'quantiles', 'operation', 'environment']);
    const w = windowFromQuery(query, defaultWindowMs, maxWindowMs);
    const quantiles = parseQuantiles(query.get('quantiles'));
    const operation = query.get('operation') ?? '';
    if (params.name!.length > 512 || operation.length > 1024) throw new InputError('service or operation name too long');
    const r = await serviceLatency(
      store,
      { service: params.name!, operation, startMs: w.startMs, endMs: w.endMs, quantiles, environment: environmentParam(query) },
      rawMaxWindowMs,
    );
    return {
      service: params.name,
      ...(operation ? { operation } : {}),
      count: r.count,
      errorRate: r.count > 0 ? r.errors / r.count : 0,
      quantiles: Object.fromEntries(
        quantiles.map((q, i) => [String(q), r.quantilesNs[i] === undefined ? null : nsToMs(r.quantilesNs[i]!)]),
      ),
      source: r.source,
    };
  });
}
