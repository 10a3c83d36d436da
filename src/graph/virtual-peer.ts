/**
 * Names the uninstrumented peer a client span talks to, by what the semantic conventions say identifies it:
 *  - `peer.service` when the caller names it;
 *  - a database by its server (`server.address`, or the older `net.peer.name`): the host is what gets slow; without
 *    one, `db.namespace` qualified by the system (`mysql:inventory`), never the bare namespace, which may be a Redis
 *    index ("0") or equal the name of the service that owns the database; the system alone as a last resort;
 *  - a queue or topic by `messaging.destination.name`;
 *  - anything else by `server.address`/`net.peer.name` (kind external).
 */
import type { Attributes } from '../span.js';

export type NodeKind = 'service' | 'database' | 'messaging' | 'external';

export interface VirtualPeer {
  name: string;
  kind: Exclude<NodeKind, 'service'>;
}

export function virtualPeerOf(attrs: Attributes): VirtualPeer | undefined {
  const dbSystem = attrs['db.system'] || attrs['db.system.name'];
  const messaging = attrs['messaging.destination.name'] || attrs['messaging.destination'];
  const peerService = attrs['peer.service'];
  const address = attrs['server.address'] || attrs['net.peer.name'];
  if (peerService)
    return { name: peerService, kind: dbSystem ? 'database' : messaging || attrs['messaging.system'] ? 'messaging' : 'external' };
  if (dbSystem) {
    const namespace = attrs['db.namespace'] || attrs['db.name'];
    const named = namespace && !/^\d+$/.test(namespace) ? `${dbSystem}:${namespace}` : undefined;
    // A host name is how operators know a database; an IP or localhost is shared (one DB host, sidecars, host
    // networking: PostgreSQL and Redis both on 127.0.0.1), so there the system and the database, else the port, tell.
    if (address && !isSharedAddress(address)) return { name: address, kind: 'database' };
    if (address) {
      const port = attrs['server.port'] || attrs['net.peer.port'];
      return { name: named ?? `${dbSystem}@${address}${port ? `:${port}` : ''}`, kind: 'database' };
    }
    return { name: named ?? dbSystem, kind: 'database' };
  }
  if (messaging) return { name: messaging, kind: 'messaging' };
  if (address) return { name: address, kind: 'external' };
  return undefined;
}

/**
 * A client span that waits for a pooled connection (`pg-pool.connect`, `pg.connect`, a generic pool acquire) calls
 * nothing: the wait is in the caller's process, so it is the caller's own time (issue 29), never the database's.
 */
export function isPoolWait(spanName: string): boolean {
  return POOL_WAIT.test(spanName);
}
const POOL_WAIT = /(^|[.\-_ ])pool[.\-_ ]?(connect|acquire|checkout|wait)$|^pg\.connect$|^(acquire|checkout)[.\-_ ]?connection$/i;

/** An address that names a machine, not a service: an IPv4 or IPv6 literal, or localhost. */
function isSharedAddress(address: string): boolean {
  return address === 'localhost' || address.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(address);
}

/** Tempo's / the servicegraph connector's connection_type label for an edge to a node of this kind. */
export function connectionTypeOf(kind: NodeKind, messagingPair: boolean): string {
  if (messagingPair || kind === 'messaging') return 'messaging_system';
  if (kind === 'database') return 'database';
  if (kind === 'external') return 'virtual_node';
  return '';
}
