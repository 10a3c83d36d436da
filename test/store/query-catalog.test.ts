/**
 * Queries by name, checked (issue 16): every .sql file in queries/ is in src/store/query-catalog.ts (with its row type,
 * or as a command) and every name there is a file. Names in code are typed, so a typo fails the build; this closes
 * the other direction (a file nobody can name, a name whose file was deleted).
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS, QUERY_NAMES } from '../../src/store/query-catalog.js';
import { loadQuery, QUERIES_DIR } from '../../src/store/query-files.js';

describe('query catalog', () => {
  it('lists exactly the files in queries/', () => {
    const files = readdirSync(QUERIES_DIR)
      .filter((f) => f.endsWith('.sql'))
      .map((f) => f.slice(0, -4))
      .sort();
    expect([...QUERY_NAMES, ...COMMANDS].sort()).toEqual(files);
  });

  it('every query reads rows and every command writes or defines (by its first keyword)', () => {
    for (const name of QUERY_NAMES) expect(loadQuery(name).replace(/^(--.*\n)+/, ''), name).toMatch(/^(SELECT|WITH)\b/);
    for (const name of COMMANDS)
      expect(loadQuery(name).replace(/^(--.*\n)+/, ''), name).toMatch(/^(CREATE|INSERT|DELETE|OPTIMIZE|ALTER)\b/);
  });
});
