/** Store failures as clients see them: outages retryable, a damaged part named with its table (issue 27). */
import { describe, expect, it } from 'vitest';
import { StoreRefusedError, StoreUnavailableError } from '../../src/errors.js';
import { storeError } from '../../src/store/clickhouse-store.js';

/** An error shaped as chDB throws them (clickhouseCode and the engine's message). */
const engineError = (code: number, message: string) => Object.assign(new Error(message), { clickhouseCode: code });

describe('storeError', () => {
  it('a damaged part names its table and says the data directory needs attention', () => {
    const e = storeError(
      engineError(
        40,
        "Checksum doesn't match: corrupted data. (while reading column Duration): (while reading from part /data/store/3f1/3f1c.../all_1_1_0/ in table default.otel_traces (3f1c8a4e-...) located on disk default of type local, from mark 0 with max_rows_to_read = 8192): While executing MergeTreeSelect(pool: ReadPool, algorithm: Thread). (CHECKSUM_DOESNT_MATCH)",
      ),
      'query rca_trace_spans',
    );
    expect(e).toBeInstanceOf(StoreRefusedError);
    expect(e.message).toBe(
      'query rca_trace_spans failed: a damaged part in table otel_traces (ClickHouse error 40); the data directory needs attention (check the disk, then detach or drop the part)',
    );
  });

  it('an outage is retryable, another refusal is plain', () => {
    expect(storeError(engineError(243, 'Cannot reserve 1.00 MiB, not enough space'), 'insert into otel_traces')).toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(storeError(engineError(62, 'Syntax error'), 'query x').message).toBe('query x failed (ClickHouse error 62)');
  });
});
