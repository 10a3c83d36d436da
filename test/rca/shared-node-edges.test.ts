/** Slow edges that share a node move to the node: saturation (edges into it), egress (edges out of it), else the edge. */
import { describe, expect, it } from 'vitest';
import { buildServiceGraph, type EdgeRow } from '../../src/graph/service-graph.js';
import type { Contribution } from '../../src/rca/rank-candidates.js';
import { attributeSharedEdges } from '../../src/rca/shared-node-edges.js';

/** An edge whose client p50 is `gapMs` above its server p50 of 10 ms. */
const edge = (source: string, target: string, gapMs: number): EdgeRow => ({
  source,
  target,
  targetKind: 'service',
  connectionType: '',
  calls: 100,
  errors: 0,
  clientQuantilesNs: [(10 + gapMs) * 1e6, (20 + gapMs) * 1e6],
  serverQuantilesNs: [10e6, 20e6],
});

const edgeContribution = (key: string, rise: number): Contribution => ({
  key,
  ref: { kind: 'edge', path: ['front', ...key.split(' -> ')].filter((x, i, a) => a.indexOf(x) === i), pathWeights: new Map() },
  mean: { baseline: 1, current: 1 + rise },
  tail: { baseline: 2, current: 2 + rise },
  errors: { baseline: 0, current: 0 },
  calls: { baseline: 1, current: 1 },
  meanRise: rise,
  tailRise: rise,
  errorRise: 0,
  rawScore: 0,
  score: 0,
  exemplars: [],
});

// front -> a -> db-svc, b -> db-svc, a -> cache: the baseline has 1 ms gaps everywhere.
const topology = (gaps: Record<string, number>) =>
  buildServiceGraph(
    [],
    [
      ['front', 'a'],
      ['a', 'store'],
      ['b', 'store'],
      ['c', 'store'],
      ['a', 'cache'],
      ['a', 'queue'],
    ].map(([s, t]) => edge(s!, t!, gaps[`${s} -> ${t}`] ?? 1)),
  );
const baseline = topology({});

describe('attributeSharedEdges', () => {
  it('saturation: calls into store slowed from every caller, so store is the origin', () => {
    const current = topology({ 'a -> store': 80, 'b -> store': 80, 'c -> store': 75 });
    const cs = [edgeContribution('a -> store', 50)];
    const found = attributeSharedEdges(cs, current, baseline, () => 'service');
    expect(found.get('store')?.kind).toBe('saturation');
    expect(found.get('store')?.edges.sort()).toEqual(['a -> store', 'b -> store', 'c -> store']);
    const store = cs.find((c) => c.key === 'store')!;
    expect(store.meanRise).toBe(50);
    expect(store.ref.path).toEqual(['front', 'a', 'store']);
    expect(cs[0]!.meanRise).toBe(0);
  });

  it('egress: every call out of a slowed, its callees fine for their other callers, so a is the origin', () => {
    const current = topology({ 'a -> store': 60, 'a -> cache': 60, 'a -> queue': 55 });
    const cs = [edgeContribution('a -> store', 40), edgeContribution('a -> cache', 10)];
    const found = attributeSharedEdges(cs, current, baseline, () => 'service');
    expect(found.get('a')?.kind).toBe('egress');
    expect(cs.find((c) => c.key === 'a')!.meanRise).toBe(50);
    expect(cs.find((c) => c.key === 'a')!.ref.path).toEqual(['front', 'a']);
  });

  it('one path alone stays the edge', () => {
    const current = topology({ 'a -> store': 80 });
    const cs = [edgeContribution('a -> store', 50)];
    expect(attributeSharedEdges(cs, current, baseline, () => 'service').size).toBe(0);
    expect(cs).toHaveLength(1);
    expect(cs[0]!.meanRise).toBe(50);
  });

  it("a paused caller: only a's calls to a database slowed, its other callers see no change, a's own time rose", () => {
    const g = (gaps: Record<string, number>) =>
      buildServiceGraph(
        [],
        [
          ['front', 'a'],
          ['a', 'redis'],
          ['b', 'redis'],
        ].map(([s, t]) => ({
          ...edge(s!, t!, 0),
          targetKind: 'database',
          serverQuantilesNs: [],
          clientQuantilesNs: [(gaps[`${s} -> ${t}`] ?? 2) * 1e6, 5e6],
        })),
      );
    const dep: Contribution = {
      ...edgeContribution('redis', 30),
      ref: { kind: 'database', path: ['front', 'a', 'redis'], pathWeights: new Map() },
    };
    const own: Contribution = { ...edgeContribution('a', 10), ref: { kind: 'service', path: ['front', 'a'], pathWeights: new Map() } };
    const cs = [dep, own];
    const found = attributeSharedEdges(cs, g({ 'a -> redis': 40 }), g({}), () => 'database');
    expect(found.get('a')?.kind).toBe('caller-process');
    expect(own.meanRise).toBe(40);
    expect(dep.meanRise).toBe(0);
    // The same, but redis slower for b too: it stays redis's.
    const again = [
      { ...dep, meanRise: 30, tailRise: 30 },
      { ...own, meanRise: 10, tailRise: 10 },
    ];
    expect(attributeSharedEdges(again, g({ 'a -> redis': 40, 'b -> redis': 40 }), g({}), () => 'database').size).toBe(0);
  });
});
