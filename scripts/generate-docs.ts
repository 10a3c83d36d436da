/**
 * npm run docs: writes the generated parts of the docs from their one source: the README's configuration table
 * (src/settings.ts) and docs/metrics.md (src/metric-catalog.ts). test/docs.test.ts fails when either is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedReadme, generatedMetricsDoc } from '../test/helpers/generated-docs.js';

const root = join(import.meta.dirname, '..', '..');
writeFileSync(join(root, 'README.md'), generatedReadme(readFileSync(join(root, 'README.md'), 'utf8')));
writeFileSync(join(root, 'docs', 'metrics.md'), generatedMetricsDoc());
console.log('README.md configuration table and docs/metrics.md written');
