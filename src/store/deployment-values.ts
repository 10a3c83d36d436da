/** Where each deployment-naming resource value of some services was seen, in a baseline and a window. */
import type { Store } from './clickhouse-store.js';

/** Resource attributes that change when a new build is deployed, in the order a change is best described by. */
export const DEPLOYMENT_ATTRIBUTES = ['service.version', 'k8s.replicaset.name', 'container.image.tag', 'k8s.deployment.name'] as const;

export interface DeploymentValueRow {
  service: string;
  attribute: string;
  value: string;
  firstSeenMs: number;
  baselineSpans: number;
  windowSpans: number;
}

export interface DeploymentValuesQuery {
  services: string[];
  environment: string;
  baselineStartMs: number;
  baselineEndMs: number;
  windowStartMs: number;
  windowEndMs: number;
}

export async function loadDeploymentValues(store: Store, q: DeploymentValuesQuery): Promise<DeploymentValueRow[]> {
  if (q.services.length === 0) return [];
  const rows = await store.query('deployment_values', {
    services: q.services,
    attributes: [...DEPLOYMENT_ATTRIBUTES],
    environment: q.environment,
    baselineStart: q.baselineStartMs,
    baselineEnd: q.baselineEndMs,
    windowStart: q.windowStartMs,
    windowEnd: q.windowEndMs,
  });
  return rows.map((r) => ({
    ...r,
    firstSeenMs: Number(r.firstSeenMs),
    baselineSpans: Number(r.baselineSpans),
    windowSpans: Number(r.windowSpans),
  }));
}
