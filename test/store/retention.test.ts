/** FAULTLINE_RETENTION_DAYS reaches tables that already exist: a restart with another value changes their TTL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retentionDaysOf } from '../../src/store/retention.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const ttlDays = async (table: string) => {
  const [row] = await h.app.store.query('show_create_table', { table });
  return retentionDaysOf(row!.statement);
};

describe('retention', () => {
  it('reads the TTL from DDL', () => {
    expect(retentionDaysOf('ENGINE = MergeTree ORDER BY x TTL toDateTime(Timestamp) + toIntervalDay(7) SETTINGS a = 1')).toBe(7);
    expect(retentionDaysOf('ENGINE = MergeTree ORDER BY x')).toBeUndefined();
  });

  it('starts with the default and follows a changed setting on restart', async () => {
    for (const t of ['otel_traces', 'span_rollup_1m', 'edge_rollup_1m']) expect(await ttlDays(t)).toBe(7);
    await h.restart({ FAULTLINE_RETENTION_DAYS: '2' });
    for (const t of ['otel_traces', 'span_rollup_1m', 'edge_rollup_1m']) expect(await ttlDays(t)).toBe(2);
    await h.restart({ FAULTLINE_RETENTION_DAYS: '30' });
    for (const t of ['otel_traces', 'span_rollup_1m', 'edge_rollup_1m']) expect(await ttlDays(t)).toBe(30);
  });
});
