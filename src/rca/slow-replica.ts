/**
 * One bad replica: when a service's added own time sits in one of its instances (`service.instance.id`, else the pod
 * or host its spans name) while its siblings are as before, the person paged should drain that instance, not read
 * the code. Compares each replica's own ms per request it served, window vs baseline (a replica new in the window is
 * compared with the service's baseline).
 */
import { instanceKey } from './critical-path.js';
import type { ReplicaEvidence } from './report.js';
import type { RequestProfile } from './request-profile.js';

/** Requests a replica must have served in the window to be judged. */
const MIN_REPLICA_REQUESTS = 10;

export function findSlowReplica(service: string, cur: RequestProfile, base: RequestProfile): ReplicaEvidence | undefined {
  const prefix = instanceKey(service, '');
  const replicas = [...cur.instances].filter(([k]) => k.startsWith(prefix) && k.length > prefix.length);
  if (replicas.length < 2) return undefined;
  const pooled = (profile: RequestProfile) => {
    let sum = 0;
    let requests = 0;
    for (const [k, v] of profile.instances)
      if (k.startsWith(prefix)) {
        sum += v.sum;
        requests += v.requests;
      }
    return requests > 0 ? sum / requests : 0;
  };
  const serviceBaseline = pooled(base);
  const rises = replicas.map(([k, v]) => {
    const b = base.instances.get(k);
    const before = b && b.requests >= MIN_REPLICA_REQUESTS ? b.sum / b.requests : serviceBaseline;
    return {
      id: k.slice(prefix.length),
      requests: v.requests,
      sum: v.sum,
      before,
      now: v.sum / v.requests,
      rise: v.sum / v.requests - before,
    };
  });
  rises.sort((a, b) => b.rise - a.rise);
  const [worst, ...others] = rises;
  if (!worst || worst.requests < MIN_REPLICA_REQUESTS || worst.rise <= 0) return undefined;
  const othersRequests = others.reduce((s, r) => s + r.requests, 0);
  const othersRise = othersRequests > 0 ? others.reduce((s, r) => s + r.rise * r.requests, 0) / othersRequests : 0;
  const othersNow = othersRequests > 0 ? others.reduce((s, r) => s + r.sum, 0) / othersRequests : 0;
  // The rise is that replica's: its siblings rose by less than a fifth as much, and it is now clearly slower than them.
  if (othersRise > 0.2 * worst.rise || worst.now < 1.5 * othersNow) return undefined;
  const total = rises.reduce((s, r) => s + r.requests, 0);
  return {
    instance: worst.id,
    trafficShare: Math.round((worst.requests / total) * 1000) / 1000,
    ownMsPerRequest: { baseline: round(worst.before), current: round(worst.now) },
    siblingsOwnMsPerRequest: round(othersNow),
  };
}

const round = (x: number): number => Math.round(x * 10) / 10;
