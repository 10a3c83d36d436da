/**
 * `npm run lint` enforces the data flow otlp -> graph -> store -> rca -> api (issue 16): an import against it fails,
 * as does reaching into the pairer's internals; imports along the flow pass. Runs ESLint on code written here.
 */
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: join(import.meta.dirname, '..', '..') });
const lint = async (path: string, code: string): Promise<string[]> => {
  const [result] = await eslint.lintText(code, { filePath: join(import.meta.dirname, '..', '..', path) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
};

describe('layering lint', () => {
  it.each([
    ['src/otlp/x.ts', "import { analyze } from '../rca/analyze.js';\nexport const x = analyze;", /src\/otlp must not import src\/rca/],
    ['src/store/x.ts', "import type { Report } from '../rca/report.js';\nexport type X = Report;", /src\/store must not import src\/rca/],
    ['src/rca/x.ts', "import { addRoutes } from '../api/routes.js';\nexport const x = addRoutes;", /src\/rca must not import src\/api/],
    [
      'src/log.ts',
      "import { SpanPairer } from './graph/pairing/index.js';\nexport const x = SpanPairer;",
      /shared files at the top of src\/ must not import a stage/,
    ],
    [
      'src/store/x.ts',
      "import { SpanKeyTable } from '../graph/pairing/span-key-table.js';\nexport const x = SpanKeyTable;",
      /through src\/graph\/pairing\/index.js/,
    ],
  ])('%s: %s fails', async (path, code, expected) => {
    const messages = await lint(path, code);
    expect(
      messages.some((m) => m.startsWith('no-restricted-imports') && expected.test(m)),
      messages.join('\n'),
    ).toBe(true);
  });

  it('imports along the flow pass', async () => {
    expect(
      await lint(
        'src/rca/x.ts',
        "import type { Store } from '../store/clickhouse-store.js';\nimport { SpanPairer } from '../graph/pairing/index.js';\nexport type X = Store;\nexport const y = SpanPairer;",
      ),
    ).toEqual([]);
  });
});
