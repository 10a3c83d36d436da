/**
 * A ClickHouse HTTP interface in front of chDB, for tests of the ClickHouse-server path (FAULTLINE_CLICKHOUSE_URL).
 * No ClickHouse server binary can be installed here (Debian's is from 2018), so this stands in for one: the same
 * engine behind the HTTP protocol as @clickhouse/client speaks it (query in the URL or the body, `param_*` query
 * parameters, settings as URL parameters, `FORMAT` clauses, INSERT data in the body, gzip both ways, errors as
 * `Code: N. DB::Exception: ...` with a 500 and `X-ClickHouse-Exception-Code`). What it does not emulate: users and
 * grants, sessions, progress headers, the native TCP protocol, and per-query settings (they are SET on the one
 * chDB session, as chdb/connection does). A mock only where a real server cannot run, as the brief allows.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdirSync, rmSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Session } from 'chdb';

/** URL parameters that are the HTTP interface's own, not settings. */
const HTTP_PARAMS = new Set([
  'query',
  'query_id',
  'database',
  'default_format',
  'session_id',
  'session_timeout',
  'session_check',
  'compress',
  'decompress',
  'enable_http_compression',
  'wait_end_of_query',
  'buffer_size',
  'user',
  'password',
  'quota_key',
  'send_progress_in_http_headers',
  'http_headers_progress_interval_ms',
  'role',
  'add_http_cors_header',
]);

export interface ClickHouseHttpFront {
  url: string;
  /** Statements the front ran, for tests that check what the client sent. */
  statements: string[];
  /** While on, every request's connection is dropped unanswered, as a server that went away. */
  outage(on: boolean): void;
  close(): Promise<void>;
}

export async function startClickHouseHttpFront(dataDir: string): Promise<ClickHouseHttpFront> {
  const session = new Session(dataDir);
  const staging = join(dataDir, 'front-inserts');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const statements: string[] = [];
  let current = 'default';
  let down = false;
  // chDB runs one query at a time per session; the front serialises, as a busy single-core server would queue.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  // ClickHouse's http_max_uri_size is 1 MiB (query parameters travel in the URL); Node's default header limit is 16 KiB.
  const server: Server = createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
    if (down) {
      req.socket.destroy();
      return;
    }
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://front');
        if (url.pathname === '/ping') return void res.end('Ok.\n');
        const body = await readAll(req);
        const inUrl = url.searchParams.get('query');
        const sql = (inUrl ?? body.toString('utf8')).trim();
        const params: Record<string, string> = {};
        const settings: [string, string][] = [];
        for (const [k, v] of url.searchParams) {
          if (k.startsWith('param_')) params[k.slice(6)] = v;
          else if (!HTTP_PARAMS.has(k)) settings.push([k, v]);
        }
        // The database from the URL path (clickhouse-js sends it as `database`), created on first use.
        const database = url.searchParams.get('database') || 'default';
        if (!/^[A-Za-z0-9_]+$/.test(database)) throw new Error(`bad database name ${database}`);
        const out = await serial(async () => {
          if (database !== current) {
            await session.queryAsync(`CREATE DATABASE IF NOT EXISTS ${database}`);
            await session.queryAsync(`USE ${database}`);
            current = database;
          }
          for (const [k, v] of settings) await session.queryAsync(`SET ${k} = '${v.replace(/'/g, "''")}'`);
          return execute(
            session,
            sql,
            inUrl !== null ? body : undefined,
            params,
            url.searchParams.get('default_format') ?? 'TabSeparated',
            staging,
            statements,
          );
        });
        const gzip =
          url.searchParams.get('enable_http_compression') === '1' && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
        if (gzip) res.setHeader('Content-Encoding', 'gzip');
        res.end(gzip ? gzipSync(out) : out);
      } catch (err) {
        const e = err as { message?: string; clickhouseCode?: number };
        const code = e.clickhouseCode ?? 1001;
        const message = /^Code: \d+\./.test(e.message ?? '')
          ? e.message!
          : `Code: ${code}. DB::Exception: ${e.message ?? String(err)}. (STD_EXCEPTION)`;
        res.statusCode = 500;
        res.setHeader('X-ClickHouse-Exception-Code', String(code));
        res.end(message + '\n');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    statements,
    outage: (on) => {
      down = on;
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue;
      session.close();
    },
  };
}

async function execute(
  session: Session,
  sql: string,
  data: Buffer | undefined,
  params: Record<string, string>,
  defaultFormat: string,
  staging: string,
  statements: string[],
): Promise<Buffer> {
  statements.push(sql);
  const insert = /^INSERT\s+INTO\s+(.+?)\s+FORMAT\s+(\w+)\s*$/is.exec(sql);
  if (insert && data) {
    // The server reads INSERT data from the request body; chDB reads binary input from a file.
    const path = join(staging, `${randomUUID()}.data`);
    await writeFile(path, data);
    try {
      await session.queryBindAsync(`INSERT INTO ${insert[1]} SELECT * FROM file({path:String}, ${insert[2]})`, { path });
    } finally {
      await unlink(path).catch(() => undefined);
    }
    return Buffer.alloc(0);
  }
  const formatted = /^([\s\S]*?)\s+FORMAT\s+(\w+)\s*$/i.exec(sql);
  const [query, format] = formatted && !/^\s*INSERT/i.test(sql) ? [formatted[1]!, formatted[2]!] : [sql, defaultFormat];
  const result = await session.queryBindAsync(query, params, { format });
  return Buffer.from(result.bytes());
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  const raw = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}
