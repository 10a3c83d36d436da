/** SLOs as JSON: every SLO's current figures, and one SLO with its per-hour series over its window (docs/slo.md). */
import { NotFoundError } from '../errors.js';
import { evaluateSlo } from '../slo/evaluate-slo.js';
import type { SloRegistry } from '../slo/slo-registry.js';
import type { Store } from '../store/clickhouse-store.js';
import type { Router } from './router.js';
import { allowParams, parseTime } from './time-window.js';

export function addSloRoutes(router: Router, store: Store, slos: SloRegistry): void {
  // `at` evaluates as of another time (a window ending then); the default is now.
  router.get('/api/v1/slos', async ({ query }) => {
    allowParams(query, ['at']);
    const at = query.has('at') ? parseTime(query.get('at'), 'at') : Date.now();
    const statuses = [];
    for (const slo of slos.slos) statuses.push(await evaluateSlo(store, slo, at));
    return {
      file: slos.path ?? null,
      ...(slos.lastError ? { fileError: slos.lastError } : {}),
      slos: statuses,
    };
  });

  router.get('/api/v1/slos/:name', async ({ params, query }) => {
    allowParams(query, ['at']);
    const slo = slos.find(params.name!);
    if (!slo) throw new NotFoundError(`no SLO ${params.name}${slos.path ? ` in ${slos.path}` : ' (FAULTLINE_SLO_FILE is not set)'}`);
    const at = query.has('at') ? parseTime(query.get('at'), 'at') : Date.now();
    return evaluateSlo(store, slo, at, true);
  });
}
