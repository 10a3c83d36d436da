/** Listening and closing for node:http servers, with one clear message for a busy port. */
import type { Server } from 'node:http';
import { formatAddress, type ListenAddress } from './config.js';

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

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
