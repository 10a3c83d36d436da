/**
 * Generated docs stay true (issue 16): the README's configuration table is src/settings.ts, docs/metrics.md is
 * src/metric-catalog.ts, and a running faultline exposes exactly the catalog's metrics. `npm run docs` regenerates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_METRICS, SELF_METRICS } from '../src/metric-catalog.js';
import { SETTINGS } from '../src/settings.js';
import { generatedMetricsDoc, generatedReadme } from './helpers/generated-docs.js';
import { startHarness, type Harness } from './helpers/harness.js';
import { sendSpans } from './helpers/load-spans.js';
import { simulate } from './sim/simulate.js';
import { ciPipeline } from './sim/topology.js';

const ROOT = join(import.meta.dirname, '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

describe('generated docs', () => {
  it('the README configuration table is the settings table (run `npm run docs` after changing src/settings.ts)', () => {
    const readme = read('README.md');
    expect(generatedReadme(readme) === readme, 'README.md is stale: run npm run docs').toBe(true);
  });

  it('docs/metrics.md is the metric catalog (run `npm run docs` after changing src/metric-catalog.ts)', () => {
    expect(read('docs/metrics.md') === generatedMetricsDoc(), 'docs/metrics.md is stale: run npm run docs').toBe(true);
  });

  it('every FAULTLINE_* variable the code reads is in the settings table', () => {
    const listed = new Set(Object.values(SETTINGS).flatMap((s) => [s.env, `${s.env}_FILE`]));
    const src = ['src/config.ts', 'src/settings.ts', 'src/app.ts', 'src/main.ts'].map(read).join('\n');
    for (const m of src.matchAll(/FAULTLINE_[A-Z_]+/g)) expect(listed.has(m[0]), `${m[0]} is read but not in src/settings.ts`).toBe(true);
  });
});

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
