/** A seeded, layered service topology of any size (for load and query benchmarks). */
import { Random } from './random.js';
import type { DependencySpec, Operation, Topology } from './topology.js';

export function generateTopology(
  seed: number,
  services: number,
  opsPerService: number,
  databases = 5,
  name = `generated-${services}x${opsPerService}`,
): Topology {
  const rnd = new Random(seed);
  const layers = 5;
  const perLayer = Math.ceil(services / layers);
  const names = Array.from({ length: services }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
  const layerOf = (i: number) => Math.floor(i / perLayer);
  const dependencies: Record<string, DependencySpec> = {};
  for (let d = 0; d < databases; d++) {
    dependencies[`db-${d}`] = {
      kind: 'database',
      node: `postgresql:db${d}`,
      attributes: { 'db.system': 'postgresql', 'db.namespace': `db${d}` },
      latencyMs: 1 + rnd.int(5),
    };
  }
  const spec: Topology['services'] = {};
  names.forEach((name, i) => {
    const operations: Operation[] = [];
    for (let o = 0; o < opsPerService; o++) {
      const calls: Operation['calls'] = [];
      const next = names.filter((_, j) => layerOf(j) === layerOf(i) + 1);
      // Few calls per operation keep traces around 20 spans deep in a 5-layer system.
      const fanout = next.length === 0 ? 0 : rnd.int(3);
      for (let c = 0; c < fanout; c++)
        calls.push({ to: next[rnd.int(next.length)]!, op: `op-${rnd.int(opsPerService)}`, probability: 0.7 });
      if (rnd.chance(0.3)) calls.push({ to: `db-${rnd.int(databases)}` });
      operations.push({ name: `op-${o}`, selfMs: 1 + rnd.int(30), calls });
    }
    spec[name] = { operations, errorRate: rnd.chance(0.2) ? 0.01 : 0 };
  });
  return {
    name,
    entries: names
      .filter((_, i) => layerOf(i) === 0)
      .flatMap((service) => Array.from({ length: opsPerService }, (_, o) => ({ service, op: `op-${o}`, weight: 1 }))),
    services: spec,
    dependencies,
    networkMs: 0.5,
  };
}
