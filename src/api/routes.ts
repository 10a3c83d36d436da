/** All API routes, built from the modules that serve them. */
import type { Config } from '../config.js';
import type { Store } from '../store/clickhouse-store.js';
import { Router } from './router.js';

export interface RouteDeps {
  store: Store;
  config: Config;
}

export function buildRoutes(_deps: RouteDeps): Router {
  return new Router();
}
