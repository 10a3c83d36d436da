/** Topologies as data: services with operations that call other services or uninstrumented dependencies. */

export type CallKind = 'http' | 'db' | 'messaging' | 'external';

export interface Call {
  /** A service name, or a dependency name from `dependencies`. */
  to: string;
  /** Operation on the target service (defaults to its first). */
  op?: string;
  /** Calls in the same parallel group run concurrently; others run one after another. */
  parallelGroup?: number;
  /** Probability the call happens in a given request (default 1). */
  probability?: number;
}

export interface Operation {
  name: string;
  /** Median self time in ms (time spent in the service itself, outside calls). */
  selfMs: number;
  calls: Call[];
}

export interface ServiceSpec {
  operations: Operation[];
  /** Probability one of its server spans fails on its own. */
  errorRate?: number;
}

export interface DependencySpec {
  kind: 'database' | 'messaging' | 'external';
  /** The attributes its callers' client spans carry (they name the peer). */
  attributes: Record<string, string>;
  latencyMs: number;
  errorRate?: number;
}

export interface Topology {
  name: string;
  /** Entry operations and their share of requests. */
  entries: { service: string; op?: string; weight: number }[];
  services: Record<string, ServiceSpec>;
  dependencies?: Record<string, DependencySpec>;
  /** Median one-way network delay in ms between services. */
  networkMs?: number;
}

/** The seed case: a CI pipeline. */
export const ciPipeline: Topology = {
  name: 'ci-pipeline',
  entries: [{ service: 'ci-gateway', weight: 1 }],
  networkMs: 1,
  services: {
    'ci-gateway': { operations: [{ name: 'POST /builds', selfMs: 40, calls: [{ to: 'builder' }] }] },
    builder: {
      errorRate: 0.0002,
      operations: [
        {
          name: 'build',
          selfMs: 2500,
          calls: [{ to: 'auth' }, { to: 'git-proxy' }, { to: 'artifact-cache', parallelGroup: 1 }, { to: 'artifact-cache', op: 'put', parallelGroup: 1 }],
        },
      ],
    },
    auth: { operations: [{ name: 'check', selfMs: 15, calls: [] }] },
    'git-proxy': { operations: [{ name: 'clone', selfMs: 300, calls: [{ to: 'storage-s3' }] }] },
    'storage-s3': { operations: [{ name: 'GetObject', selfMs: 600, calls: [] }] },
    'artifact-cache': {
      operations: [
        { name: 'get', selfMs: 200, calls: [{ to: 'redis' }] },
        { name: 'put', selfMs: 150, calls: [{ to: 'redis' }] },
      ],
    },
  },
  dependencies: {
    redis: { kind: 'database', attributes: { 'db.system': 'redis', 'server.address': 'redis-cache' }, latencyMs: 2 },
  },
};
