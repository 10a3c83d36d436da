/** The JSON API, the Alertmanager webhook, health endpoints and /metrics on one HTTP listener. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkBearerToken } from '../bearer-token.js';
import type { Registry } from 'prom-client';
import type { ListenAddress } from '../config.js';
import { StoreUnavailableError, UnauthorizedError, asFaultlineError } from '../errors.js';
import { closeServer, createServer, listen } from '../http-listen.js';
import type { Logger } from '../log.js';
import type { SelfMetrics } from '../self-metrics.js';
import { isApiResponse, type Router } from './router.js';

export interface ApiServerOptions {
  address: ListenAddress;
  /** When set, /api/* requires `Authorization: Bearer <token>`. */
  token: string | undefined;
  /** The webhook's token (may differ from the read API's). */
  webhookToken?: string | undefined;
  tls?: { cert: Buffer; key: Buffer } | undefined;
  router: Router;
  registry: Registry;
  /** True once receivers, store and API are all up. */
  isReady: () => boolean;
  log: Logger;
  metrics?: SelfMetrics;
}

const WEBHOOK_PATH = '/api/v1/alerts/alertmanager';

export interface ApiServer {
  port: number;
  close(): Promise<void>;
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const server = createServer((req, res) => void handle(req, res, opts), opts.tls);
  await listen(server, opts.address, 'the API');
  return { port: (server.address() as AddressInfo).port, close: () => closeServer(server) };
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: ApiServerOptions): Promise<void> {
  const started = performance.now();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  let route = 'unmatched';
  res.once('finish', () => {
    if (!opts.metrics || path === '/metrics') return;
    opts.metrics.apiRequests.inc({ route, method: req.method ?? 'GET', status: String(res.statusCode) });
    opts.metrics.apiRequestSeconds.observe({ route }, (performance.now() - started) / 1000);
  });
  try {
    if (path === '/healthz' || path === '/readyz') route = path;
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz')
      return opts.isReady() ? sendJson(res, 200, { status: 'ready' }) : sendError(res, 503, 'not_ready', 'starting up or shutting down');
    if (path === '/metrics') {
      const text = await opts.registry.metrics();
      res.writeHead(200, { 'Content-Type': opts.registry.contentType });
      res.end(text);
      return;
    }
    const token = path === WEBHOOK_PATH ? (opts.webhookToken ?? opts.token) : opts.token;
    if (path.startsWith('/api/') && token !== undefined) checkBearerToken(req.headers.authorization, token);
    const m = opts.router.match(req.method ?? 'GET', path);
    if (m === undefined) return sendError(res, 404, 'not_found', `no route ${req.method} ${path}`);
    if (m === 'method') return sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed on ${path}`);
    route = m.pattern;
    const result = await m.handler({ req, res, params: m.params, query: url.searchParams });
    if (res.headersSent) return;
    if (isApiResponse(result)) sendJson(res, result.status, result.body);
    else sendJson(res, 200, result);
  } catch (err) {
    const fe = asFaultlineError(err);
    if (!fe) {
      opts.log.error('API request failed', { method: req.method, path, err });
      return sendError(res, 500, 'internal', 'internal error; see the faultline log');
    }
    if (fe instanceof StoreUnavailableError) opts.log.warn('API request: store unavailable', { method: req.method, path, err: fe });
    if (fe.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(fe.retryAfterSeconds));
    if (fe instanceof UnauthorizedError) res.setHeader('WWW-Authenticate', 'Bearer');
    sendError(res, fe.httpStatus, fe.code, fe.message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}
