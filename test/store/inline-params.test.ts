/**
 * The embedded span insert renders its table and staging path inline (inline-params.ts): the literals must hold
 * any data directory a user picks, and anything that is not a plain identifier or a string is refused.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/log.js';
import { inlineParams } from '../../src/store/inline-params.js';
import { runMigrations } from '../../src/store/migrations.js';
import { openTestStore } from '../helpers/test-store.js';
import { spansToNative } from '../helpers/spans-to-native.js';
import { simulate } from '../sim/simulate.js';
import { shop } from '../sim/topology.js';

describe('inlineParams', () => {
  it('renders identifiers as they are and strings as escaped literals', () => {
    const sql = 'INSERT INTO {table:Identifier} SELECT * FROM file({path:String}, Native)';
    expect(inlineParams(sql, { table: 'otel_traces', path: "/data/it's \\ here\n" })).toBe(
      "INSERT INTO otel_traces SELECT * FROM file('/data/it\\'s \\\\ here\\x0a', Native)",
    );
  });

  it('refuses what is not a plain identifier, other types and missing values', () => {
    expect(() => inlineParams('SELECT 1 FROM {t:Identifier}', { t: 'x; DROP TABLE y' })).toThrow(/not a plain identifier/);
    expect(() => inlineParams('SELECT 1 FROM {t:Identifier}', { t: 'db.t' })).toThrow(/not a plain identifier/);
    expect(() => inlineParams('SELECT {n:UInt64}', { n: '1' })).toThrow(/only Identifier and String/);
    expect(() => inlineParams('SELECT {s:String}', {})).toThrow(/no value for \{s:String\}/);
  });
});

describe('span inserts on their own connections', () => {
  // A data directory whose name needs escaping in a string literal (the staging files live under it).
  const dir = mkdtempSync(join(tmpdir(), "faultline-it's \\ odd-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('land whole, several at once, under a data directory with a quote and a backslash in its name', async () => {
    const store = await openTestStore(dir);
    await runMigrations(store, { cluster: undefined, retentionDays: 7 }, silentLogger);
    const spans = simulate(shop, { seed: 11, startMs: Date.now() - 60_000, durationMs: 30_000, requests: 300 }).spans;
    const parts = [0, 1, 2, 3].map((k) => spans.filter((_, i) => i % 4 === k));
    // Four at once: more than there are insert connections, so some wait their turn on one.
    await Promise.all(parts.map((p) => store.insertNative('otel_traces', spansToNative(p))));
    const [row] = await store.query('table_rows', { table: 'otel_traces' });
    await store.close();
    expect(Number(row!.count)).toBe(spans.length);
  });
});
