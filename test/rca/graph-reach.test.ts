/** Reach (betweenness over the alerting service's part of the graph) and blast radius on tiny hand-built graphs. */
import { describe, expect, it } from 'vitest';
import { buildServiceGraph, type EdgeRow } from '../../src/graph/service-graph.js';
import { blastRadius, reachOf } from '../../src/rca/graph-reach.js';

const edge = (source: string, target: string): EdgeRow => ({
  source,
  target,
  targetKind: 'service',
  connectionType: '',
  calls: 10,
  errors: 0,
  clientQuantilesNs: [1e6, 2e6],
  serverQuantilesNs: [1e6, 2e6],
});
const graphOf = (edges: [string, string][]) =>
  buildServiceGraph(
    [],
    edges.map(([a, b]) => edge(a, b)),
  );

// The seed case: two routes from builder to storage-s3, a leaf beside them, and a caller above builder.
const seed = graphOf([
  ['ci-gateway', 'builder'],
  ['builder', 'git-proxy'],
  ['git-proxy', 'storage-s3'],
  ['builder', 'artifact-cache'],
  ['artifact-cache', 'storage-s3'],
  ['builder', 'auth'],
]);

describe('reachOf', () => {
  it('splits the one route with a middle (builder -> storage-s3) between its two equally short paths', () => {
    const reach = reachOf(seed, 'builder');
    expect(Object.fromEntries(reach)).toEqual({ builder: 0, 'git-proxy': 0.5, 'artifact-cache': 0.5, 'storage-s3': 0, auth: 0 });
    // ci-gateway is above the alerting service: not part of what it reaches.
    expect(reach.has('ci-gateway')).toBe(false);
  });

  it('gives every middle of a chain the share of routes through it', () => {
    const reach = reachOf(
      graphOf([
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'd'],
      ]),
      'a',
    );
    // Routes with a middle: a->c (via b), a->d (via b, c), b->d (via c).
    expect(Object.fromEntries(reach)).toEqual({ a: 0, b: 0.667, c: 0.667, d: 0 });
  });

  it('is 0 everywhere when no route has a middle, and empty for an unknown service', () => {
    expect([...reachOf(graphOf([['a', 'b']]), 'a').values()]).toEqual([0, 0]);
    expect(reachOf(seed, 'nobody').size).toBe(0);
  });
});

describe('blastRadius', () => {
  it('lists everything that waits on the origin, through any route', () => {
    expect(blastRadius(seed, 'storage-s3').sort()).toEqual(['artifact-cache', 'builder', 'ci-gateway', 'git-proxy']);
    expect(blastRadius(seed, 'auth').sort()).toEqual(['builder', 'ci-gateway']);
    expect(blastRadius(seed, 'ci-gateway')).toEqual([]);
  });
});
