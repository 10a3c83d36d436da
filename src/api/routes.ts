/** All API routes, built from the modules that serve them. */
import type { Config } from '../config.js';
import type { IncidentService } from '../rca/incident-service.js';
import type { Store } from '../store/clickhouse-store.js';
import { addIncidentRoutes } from './incident-routes.js';
import { addGraphRoutes } from './graph-routes.js';
import { Router } from './router.js';
import { addSloRoutes } from './slo-routes.js';
import type { SloRegistry } from '../slo/slo-registry.js';
import type { GuardedActions } from '../actions/guarded-actions.js';
import { addServiceRoutes } from './service-routes.js';
import { addTraceRoutes } from './trace-routes.js';
import { addPageRoutes } from './page-routes.js';
import { formatLinks } from './incident-formats.js';

export interface RouteDeps {
  store: Store;
  config: Config;
  incidents: IncidentService;
  slos: SloRegistry;
  actions: GuardedActions;
}

export function buildRoutes(deps: RouteDeps): Router {
  const router = new Router();
  addGraphRoutes(router, deps.store, deps.config.api);
  addServiceRoutes(router, deps.store, deps.config);
  addIncidentRoutes(router, deps.incidents, deps.store, deps.actions, deps.config);
  addSloRoutes(router, deps.store, deps.slos);
  addTraceRoutes(router, deps.store);
  addPageRoutes(router, formatLinks(deps.config));
  return router;
}
