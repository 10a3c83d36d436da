/**
 * Generated docs stay true (issue 16): the README's configuration table is src/settings.ts and docs/metrics.md is
 * src/metric-catalog.ts. `npm run docs` regenerates them; `npm run lint` runs this file, so stale docs fail lint.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../src/settings.js';
import { generatedMetricsDoc, generatedReadme } from './helpers/generated-docs.js';

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
