/** GET /api/v1/graph: the service graph of a window, read from the store so every replica answers the same. */
import { graphToDot, graphToJson } from '../graph/service-graph.js';
import { InputError } from '../errors.js';
import type { Store } from '../store/clickhouse-store.js';
import { loadServiceGraph } from '../store/graph-queries.js';
import type { Router } from './router.js';
import { isoTime } from '../time-units.js';
import { allowParams, environmentParam, windowFromQuery } from './time-window.js';

export function addGraphRoutes(router: Router, store: Store, windows: { maxWindowMs: number; defaultWindowMs: number }): void {
  router.get('/api/v1/graph', async ({ query, res }) => {
    allowParams(query, ['start', 'end', 'format', 'environment']);
    const w = windowFromQuery(query, windows.defaultWindowMs, windows.maxWindowMs);
    const format = query.get('format') ?? 'json';
    if (format !== 'json' && format !== 'dot') throw new InputError('format must be json or dot');
    const g = await loadServiceGraph(store, w.startMs, w.endMs, environmentParam(query));
    if (format === 'dot') {
      res.writeHead(200, { 'Content-Type': 'text/vnd.graphviz; charset=utf-8' });
      res.end(graphToDot(g));
      return undefined;
    }
    return { window: { start: isoTime(w.startMs), end: isoTime(w.endMs) }, ...graphToJson(g) };
  });
}
