/**
 * FAULTLINE_CLICKHOUSE_CLUSTER's DDL against a real engine (issue 23): no ClickHouse cluster can run here, so every
 * statement of every migration, rendered for a cluster (ON CLUSTER, Replicated engines on the shard-local tables, a
 * Distributed table per table), goes through the ClickHouse HTTP front's parser (`EXPLAIN AST`): a typo in a
 * cluster-only clause fails here, not on a user's cluster. What runs is checked by render-ddl.test.ts.
 */
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/clickhouse-store.js';
import { loadMigrationFiles } from '../../src/store/query-files.js';
import { renderDdl } from '../../src/store/render-ddl.js';
import { sharedFront } from '../helpers/test-store.js';

let store: Store;
beforeAll(async () => {
  store = await openStore({ dataDir: tmpdir(), clickhouseUrl: `${(await sharedFront()).url}/cluster_ddl_${process.pid}` });
});
afterAll(() => store?.close());

describe('cluster DDL', () => {
  it('every migration statement rendered for a cluster parses on the engine', async () => {
    const statements = loadMigrationFiles().flatMap((m) =>
      renderDdl(m.sql, { cluster: 'prod', retentionDays: 7 }).map((sql) => ({ m: m.name, sql })),
    );
    expect(statements.length).toBeGreaterThan(40);
    for (const { m, sql } of statements) {
      const ast = await store.querySql<{ explain: string }>(`EXPLAIN AST ${sql}`, {}, `cluster DDL of ${m}`).catch((err: unknown) => {
        throw new Error(`${m}: ${(err as Error).message}\n${sql}`);
      });
      expect(ast.length, `${m}: ${sql.slice(0, 80)}`).toBeGreaterThan(0);
    }
  });
});
