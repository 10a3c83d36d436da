/** Creating, listening and closing node:http(s) servers, with one clear message for a busy port. */
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { formatAddress, type ListenAddress } from './config.js';

export type Server = ReturnType<typeof createHttp> | ReturnType<typeof createHttps>;

/**
 * HTTPS when a certificate and key are given, plain HTTP otherwise. `requestTimeoutMs` bounds how long a client may
 * take to send its headers and body (Node's default is 300 s: a few slow-loris clients would hold their slots that
 * long).
 */
export function createServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  tls: { cert: Buffer; key: Buffer } | undefined,
  requestTimeoutMs = 30_000,
): Server {
  const limits = {
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(requestTimeoutMs, 20_000),
    // Node checks the timeouts this often (30 s by default, longer than the timeout itself).
    connectionsCheckingInterval: Math.max(250, Math.min(requestTimeoutMs / 4, 5000)),
  };
  return tls ? createHttps({ cert: tls.cert, key: tls.key, ...limits }, handler) : createHttp(limits, handler);
}

/** Listens, turning EADDRINUSE and friends into one clear message. */
export function listen(server: Server, address: ListenAddress, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const hint = err.code === 'EADDRINUSE' ? 'the port is already in use' : err.code === 'EACCES' ? 'permission denied' : err.message;
      reject(new Error(`cannot listen for ${what} on ${formatAddress(address)}: ${hint}`));
    };
    server.once('error', onError);
    server.listen(address.port, address.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Stops accepting, closes idle connections, and after `graceMs` the ones still busy (slow or stalled clients). */
export function closeServer(server: Server, graceMs = 20_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
