/**
 * npm run bench:pairer — the graph pairer alone: ~1.5M generated spans (the shop topology) in 1000-span batches at a
 * simulated 50k spans/s, settled every 240 ms of simulated time with a 10 s pair wait, four times over. Prints CPU
 * time per span for add + settle (the first pass includes the first touch of the tables' memory).
 */
import { SpanPairer } from '../src/graph/pairing/index.js';
import { simulate } from '../test/sim/simulate.js';
import { shop } from '../test/sim/topology.js';

const spans = simulate(shop, { seed: 9, startMs: Date.now() - 30 * 60_000, durationMs: 20 * 60_000, requests: 100_000 }).spans;
let clock = 0;
let edges = 0;
let timings = 0;
const pairer = new SpanPairer(
  { waitMs: 10_000, maxPending: 500_000 },
  { onEdge: () => edges++, onSpanTiming: () => timings++, onUnpaired: () => undefined, onEvicted: () => undefined },
  () => clock,
);
console.log(
  `bench:pairer on ${process.platform}/${process.arch}, node ${process.version}; ${spans.length.toLocaleString('en-US')} spans per pass`,
);
for (let pass = 1; pass <= 4; pass++) {
  const started = process.cpuUsage();
  for (let i = 0; i < spans.length; i += 1000) {
    pairer.add(spans.slice(i, i + 1000));
    clock += 20;
    if (i % 12_000 === 0) pairer.settleExpired();
  }
  clock += 20_000;
  pairer.settleExpired();
  const cpu = process.cpuUsage(started);
  console.log(
    `pass ${pass}: ${((cpu.user + cpu.system) / spans.length).toFixed(2)} CPU-us per span (add + settle); ${edges.toLocaleString('en-US')} edges, ${timings.toLocaleString('en-US')} timings so far, ${pairer.pendingCount} pending`,
  );
}
