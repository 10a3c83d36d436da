/** The generated parts of the docs, from their one source each (used by `npm run docs` and test/docs.test.ts). */
import { metricsMarkdown } from '../../src/metric-catalog.js';
import { settingsMarkdown } from '../../src/settings.js';

const START = '<!-- settings:start (generated from src/settings.ts by `npm run docs`) -->';
const END = '<!-- settings:end -->';

/** The README with its configuration table regenerated between the markers. */
export function generatedReadme(readme: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md lacks the markers ${START} ... ${END}`);
  return `${readme.slice(0, a + START.length)}\n${settingsMarkdown()}\n${readme.slice(b)}`;
}

export function generatedMetricsDoc(): string {
  return metricsMarkdown();
}
