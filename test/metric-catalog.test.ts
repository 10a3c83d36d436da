/** The metric catalog is what runs: a running faultline exposes exactly its metrics (issue 16). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_METRICS, SELF_METRICS } from '../src/metric-catalog.js';
import { startHarness, type Harness } from './helpers/harness.js';
import { sendSpans } from './helpers/load-spans.js';
import { simulate } from './sim/simulate.js';
import { ciPipeline } from './sim/topology.js';

describe('the metric catalog', () => {
  let h: Harness;
  let names: Set<string>;
  beforeAll(async () => {
    h = await startHarness({ FAULTLINE_PAIR_WAIT_MS: '0' });
    await sendSpans(
      h.otlpHttp,
      simulate(ciPipeline, {
        seed: 3,
        startMs: Date.now() - 60_000,
        durationMs: 30_000,
        requests: 5,
        faults: [{ kind: 'errors', service: 'builder', rate: 0.5 }],
      }).spans,
    );
    await h.app.settleGraph();
    await fetch(`${h.api}/api/v1/incidents`);
    const text = await (await fetch(`${h.api}/metrics`)).text();
    names = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!).filter((n) => /^(faultline|traces)_/.test(n)));
  });
  afterAll(() => h.stop());

  it('a running faultline (connector flavor) exposes exactly the catalog', () => {
    const expected = [...Object.values(SELF_METRICS), ...Object.values(GRAPH_METRICS).filter((m) => m.flavor !== 'tempo')].map(
      (m) => m.name,
    );
    expect([...names].sort()).toEqual(expected.sort());
  });
});
