/**
 * Which store the tests run on. By default the embedded chDB, as faultline runs by default. With
 * FAULTLINE_TEST_STORE=server (`npm run test:server`) every store is a database behind one ClickHouse HTTP interface
 * (clickhouse-http-front.ts, chDB standing in for a server that cannot be installed here), reached over HTTP as
 * faultline reaches a server: the same tests then exercise the server path.
 */
import { afterAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openStore, type Store, type StoreOptions } from '../../src/store/clickhouse-store.js';
import { startClickHouseHttpFront, type ClickHouseHttpFront } from './clickhouse-http-front.js';

export const onServer = process.env.FAULTLINE_TEST_STORE === 'server';

let front: Promise<ClickHouseHttpFront> | undefined;
// Registered when a test file imports this (collection time); each file runs in its own process.
afterAll(async () => {
  if (front) await (await front).close();
});

/** One front per test process: chDB holds one data directory per process. */
export function sharedFront(): Promise<ClickHouseHttpFront> {
  front ??= startClickHouseHttpFront(mkdtempSync(join(tmpdir(), 'faultline-front-')));
  return front;
}

/** The ClickHouse URL standing for `dataDir` in server mode (a database named after it), undefined otherwise. */
export async function clickhouseUrlFor(dataDir: string): Promise<string | undefined> {
  if (!onServer) return undefined;
  return `${(await sharedFront()).url}/${basename(dataDir).replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** openStore on the test's store: chDB in `dataDir`, or its database on the shared front. */
export async function openTestStore(dataDir: string, opts: Omit<StoreOptions, 'dataDir' | 'clickhouseUrl'> = {}): Promise<Store> {
  return openStore({ dataDir, clickhouseUrl: await clickhouseUrlFor(dataDir), ...opts });
}
