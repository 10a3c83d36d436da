/**
 * The one module that owns the ClickHouse client: embedded chDB (one engine per process, bound to the data dir)
 * or a ClickHouse server. Everything else talks to the store through this interface.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { StoreRefusedError, StoreUnavailableError } from '../errors.js';
import { engineStartCause } from './engine-start-error.js';
import { inlineParams } from './inline-params.js';
import { mergeNiceArgs } from './merge-priority.js';
import { loadQuery } from './query-files.js';
import type { QueryName, QueryRows } from './query-catalog.js';

export type QueryParams = Record<string, unknown>;

/** The raw-insert escape hatch of chdb/connection: the Buffer goes to the engine without a copy. */
interface RawInserter {
  rawInsert(p: { table: string; values: Buffer; format: 'JSONEachRow'; settings?: Record<string, string> }): Promise<unknown>;
}

export interface StoreOptions {
  dataDir: string;
  clickhouseUrl: string | undefined;
  /**
   * Memory one store operation (a read or an insert) may use in the engine (max_memory_usage); beyond it the
   * operation fails as retryable. 0: no bound.
   */
  maxMemoryBytes?: number;
  /**
   * The raw-span table's name (FAULTLINE_TRACES_TABLE). The SQL in queries/ says `otel_traces`; the store renames it,
   * and the tables named after it (`otel_traces_trace_id_ts`, `otel_traces_local`), in every statement it runs.
   */
  tracesTable?: string;
  /** Nice value of the embedded engine's merge threads (merge-priority.ts); 0 or unset: the engine's default. */
  mergeNice?: number;
}

export interface Store {
  readonly kind: 'chdb' | 'server';
  /** Where the data lives, without credentials (safe to log). */
  readonly location: string;
  /** The name a table of queries/ (`otel_traces`, ...) has in this store. */
  tableName(name: string): string;
  /** Runs `queries/<name>.sql` with typed `{param:Type}` bindings and returns its rows (typed by query-catalog.ts). */
  query<N extends QueryName>(name: N, params?: QueryParams): Promise<QueryRows[N][]>;
  /** Runs SQL read from elsewhere (tests run other tools' SQL through it); `what` names it in errors. */
  querySql<T>(sql: string, params: QueryParams, what: string): Promise<T[]>;
  /** Runs a statement that returns no rows (DDL, INSERT ... SELECT). */
  command(sql: string, params?: QueryParams): Promise<void>;
  /** Inserts JSONEachRow rows (one object per line): small, rare inserts such as incidents and migration records. */
  insertJson(table: string, rows: string): Promise<void>;
  /** Inserts one Native-format block (see native-block.ts) whose columns are all of the table's, in order. */
  insertNative(table: string, block: Buffer): Promise<void>;
  close(): Promise<void>;
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  const limits = { max_memory_usage: String(opts.maxMemoryBytes ?? 0) };
  const tables = tableRenamer(opts.tracesTable ?? TRACES_TABLE);
  if (opts.clickhouseUrl)
    return wrap(
      createClient({ url: opts.clickhouseUrl, request_timeout: 60_000 }),
      'server',
      redact(opts.clickhouseUrl),
      undefined,
      limits,
      tables,
    );
  const path = resolve(opts.dataDir);
  mkdirSync(path, { recursive: true });
  // Loaded lazily so a server deployment never maps the 500 MB engine.
  const { createChdbConnection } = await import('chdb/connection');
  let connection: ReturnType<typeof createChdbConnection>;
  try {
    // The engine takes its server settings when it starts, with the first connection to the directory: one opened
    // with them holds it until the client's connection does, then closes.
    const args = mergeNiceArgs(opts.mergeNice ?? 0);
    const starter = args.length ? new (await import('chdb')).Session(path, { connectionArgs: args }) : undefined;
    try {
      connection = createChdbConnection({ path });
    } finally {
      starter?.close();
    }
  } catch (err) {
    throw new Error(`cannot open the embedded store at ${path}: ${engineStartCause(path)}`, { cause: err });
  }
  // chDB reads binary input from files: Native blocks are staged here for the length of one insert.
  const staging = join(path, 'staged-inserts');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  // The span inserts get connections of their own: chDB runs one statement at a time per connection, so on the one
  // connection every insert waited behind the other write's insert, the rollup inserts and the API's reads.
  const inserters = Array.from({ length: SPAN_INSERT_CONNECTIONS }, () => ({
    client: createClient({ connection: createChdbConnection({ path }) } as never),
    running: 0,
  }));
  return wrap(
    createClient({ connection } as never),
    'chdb',
    path,
    { raw: connection.chdb as unknown as RawInserter, staging, inserters },
    limits,
    tables,
  );
}

// Text inserts are small (incidents, migration records): parallel parsing would only add thread setup.
const INSERT_SETTINGS = { date_time_input_format: 'best_effort', input_format_parallel_parsing: 0 } as const;
const RAW_INSERT_SETTINGS = Object.fromEntries(Object.entries(INSERT_SETTINGS).map(([k, v]) => [k, String(v)]));

/** As many as the span writer runs inserts at once (span-batch-writer.ts), so two inserts never share one. */
const SPAN_INSERT_CONNECTIONS = 2;

interface InsertConnection {
  client: ClickHouseClient;
  /** Inserts running on it now. */
  running: number;
}

interface Embedded {
  raw: RawInserter;
  staging: string;
  inserters: InsertConnection[];
}

function wrap(
  client: ClickHouseClient,
  kind: Store['kind'],
  location: string,
  embedded: Embedded | undefined,
  limits: { max_memory_usage: string },
  tables: (sql: string) => string,
): Store {
  const raw = embedded?.raw;
  // Every operation is bounded, so one wide API query cannot take the memory the engine shares with ingest. (chDB
  // applies a call's settings to its session, so one bound for all operations is also the only consistent one.)
  const settings = { output_format_json_quote_64bit_integers: 0, date_time_input_format: 'best_effort', ...limits } as const;
  const insertSettings = { ...INSERT_SETTINGS, ...limits };
  return {
    kind,
    location,
    tableName: tables,
    query<N extends QueryName>(name: N, params: QueryParams = {}): Promise<QueryRows[N][]> {
      return this.querySql<QueryRows[N]>(loadQuery(name), params, `query ${name}`);
    },
    async querySql<T>(sql: string, params: QueryParams, what: string): Promise<T[]> {
      try {
        const rs = await client.query({ query: tables(sql), query_params: params, format: 'JSONEachRow', clickhouse_settings: settings });
        return await rs.json<T>();
      } catch (err) {
        throw storeError(err, what);
      }
    },
    async command(sql: string, params: QueryParams = {}): Promise<void> {
      try {
        await client.command({ query: tables(sql), query_params: params, clickhouse_settings: limits });
      } catch (err) {
        throw storeError(err, 'command');
      }
    },
    async insertJson(name: string, rows: string): Promise<void> {
      if (rows === '') return;
      const table = tables(name);
      try {
        if (raw)
          await raw.rawInsert({ table, values: Buffer.from(rows), format: 'JSONEachRow', settings: { ...RAW_INSERT_SETTINGS, ...limits } });
        else
          await drained(
            client.exec({
              query: `INSERT INTO ${table} FORMAT JSONEachRow`,
              values: Readable.from([Buffer.from(rows)]),
              clickhouse_settings: insertSettings,
            }),
          );
      } catch (err) {
        throw storeError(err, `insert into ${table}`);
      }
    },
    async insertNative(name: string, block: Buffer): Promise<void> {
      const table = tables(name);
      try {
        if (!embedded) {
          await drained(
            client.exec({ query: `INSERT INTO ${table} FORMAT Native`, values: Readable.from([block]), clickhouse_settings: limits }),
          );
          return;
        }
        const path = join(embedded.staging, `${randomUUID()}.native`);
        // The write itself is inside the try: a half-written file (disk full) is removed too. Synchronous on
        // purpose: the file is read and removed within the insert, so it goes to the page cache (~0.2 ms per MB),
        // where the async write's three round trips (open, write, close) each waited behind the event loop's other
        // work, and the insert reached the engine only after them (docs/scaling.md, session 21).
        try {
          writeFileSync(path, block);
          const on = embedded.inserters.reduce((a, b) => (b.running < a.running ? b : a));
          on.running++;
          try {
            await on.client.command({ query: inlineParams(loadQuery('insert_native_file'), { table, path }), clickhouse_settings: limits });
          } finally {
            on.running--;
          }
        } finally {
          await unlink(path).catch(() => undefined);
        }
      } catch (err) {
        throw storeError(err, `insert into ${table}`);
      }
    },
    async close(): Promise<void> {
      for (const c of embedded?.inserters ?? []) await c.client.close();
      await client.close();
    },
  };
}

/**
 * ClickHouse errors that a retry can outlive (disk full, memory, too many parts or queries, timeouts, I/O): the
 * store is unavailable, not the request wrong.
 */
const RETRYABLE_CODES = new Set([74, 75, 76, 159, 202, 209, 210, 236, 241, 242, 243, 252, 425, 1001]);
/**
 * Errors of a damaged part on disk (unreadable, checksum, decompression, a missing column file): retrying will not
 * help and the request is not wrong; the message says which table and that the data directory needs attention.
 */
const DAMAGED_DATA_CODES = new Set([33, 40, 246, 271]);

/**
 * A store failure as clients see it: retryable (503/UNAVAILABLE) for outages and resource errors, otherwise a plain
 * Error (a bug or data the engine refused). The message names only what failed; the engine's own message, paths and
 * settings stay in `cause`, for the log.
 */
export function storeError(err: unknown, what: string): Error {
  // chDB's errors carry clickhouseCode; the HTTP client's ClickHouseError a numeric string code (its class may come
  // from another copy of the client package, so it is recognised by shape, not instanceof).
  const e = err as { clickhouseCode?: unknown; code?: unknown } | null;
  const code =
    typeof e?.clickhouseCode === 'number'
      ? e.clickhouseCode
      : typeof e?.code === 'string' && /^\d+$/.test(e.code)
        ? Number(e.code)
        : undefined;
  // TOO_MANY_PARTS (252) also names one insert touching too many partitions: that is the data, not an outage.
  const refused =
    typeof code === 'number' && (!RETRYABLE_CODES.has(code) || /partitions for single INSERT block/i.test(String((err as Error).message)));
  if (typeof code === 'number' && DAMAGED_DATA_CODES.has(code)) {
    // The engine says "... from part <path> in table <db>.<table> (<uuid>) ...": Atomic databases' paths hold no names.
    const table = /in table (?:`?\w+`?\.)?`?(\w+)`?/.exec(String((err as Error).message))?.[1];
    return new StoreRefusedError(
      `${what} failed: a damaged part${table ? ` in table ${table}` : ''} (ClickHouse error ${code}); the data directory needs attention (check the disk, then detach or drop the part)`,
      { cause: err },
    );
  }
  if (refused) return new StoreRefusedError(`${what} failed (ClickHouse error ${code})`, { cause: err });
  return new StoreUnavailableError(`the store is unavailable (${what}); retry later`, { cause: err });
}

/**
 * Waits for an exec's response to end: the client leaves it to the caller, and an unread response holds the socket
 * (the client warns of ECONNRESET). Read through, it also means the server has finished the insert.
 */
async function drained(result: Promise<{ stream: Readable }>): Promise<void> {
  for await (const chunk of (await result).stream) void chunk;
}

/** The raw-span table's name in queries/ (and its default). */
export const TRACES_TABLE = 'otel_traces';

function tableRenamer(tracesTable: string): (sql: string) => string {
  if (tracesTable === TRACES_TABLE) return (sql) => sql;
  return (sql) => sql.replace(/\botel_traces(?=_|\b)/g, tracesTable);
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
