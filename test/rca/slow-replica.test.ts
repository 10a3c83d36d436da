/** One slow replica among several is named; a service slow on every replica, or with one replica, is not. */
import { describe, expect, it } from 'vitest';
import { instanceKey } from '../../src/rca/critical-path.js';
import type { RequestProfile } from '../../src/rca/request-profile.js';
import { findSlowReplica } from '../../src/rca/slow-replica.js';

/** A profile whose only content is the replicas' own time: [instance, ms per request, requests]. */
const profile = (replicas: [string, number, number][]): RequestProfile => ({
  requests: replicas.reduce((s, [, , n]) => s + n, 0),
  failed: 0,
  meanMs: 0,
  tailCount: 1,
  tailMeanMs: 0,
  candidates: new Map(),
  refs: new Map(),
  queueLag: new Map(),
  operations: new Map(),
  instances: new Map(replicas.map(([id, ms, n]) => [instanceKey('cart', id), { sum: ms * n, requests: n }])),
});

const before = profile([
  ['cart-0', 10, 100],
  ['cart-1', 10, 100],
  ['cart-2', 11, 100],
]);

describe('findSlowReplica', () => {
  it('names the one replica whose own time rose, with its share of the traffic', () => {
    const after = profile([
      ['cart-0', 10, 30],
      ['cart-1', 80, 35],
      ['cart-2', 11, 35],
    ]);
    expect(findSlowReplica('cart', after, before)).toEqual({
      instance: 'cart-1',
      trafficShare: 0.35,
      ownMsPerRequest: { baseline: 10, current: 80 },
      siblingsOwnMsPerRequest: 10.5,
    });
  });

  it('names none when every replica got slower', () => {
    const after = profile([
      ['cart-0', 60, 30],
      ['cart-1', 80, 35],
      ['cart-2', 70, 35],
    ]);
    expect(findSlowReplica('cart', after, before)).toBeUndefined();
  });

  it('names none for a service with one instance, or another service', () => {
    expect(findSlowReplica('cart', profile([['cart-0', 80, 100]]), before)).toBeUndefined();
    expect(findSlowReplica('checkout', profile([['cart-1', 80, 100]]), before)).toBeUndefined();
  });
});
