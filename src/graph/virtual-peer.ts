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
    if (address) return { name: address, kind: 'database' };
    const namespace = attrs['db.namespace'] || attrs['db.name'];
    return { name: namespace && !/^\d+$/.test(namespace) ? `${dbSystem}:${namespace}` : dbSystem, kind: 'database' };
  }
  if (messaging) return { name: messaging, kind: 'messaging' };
  if (address) return { name: address, kind: 'external' };
  return undefined;
}

/** Tempo's / the servicegraph connector's connection_type label for an edge to a node of this kind. */
export function connectionTypeOf(kind: NodeKind, messagingPair: boolean): string {
  if (messagingPair || kind === 'messaging') return 'messaging_system';
  if (kind === 'database') return 'database';
  if (kind === 'external') return 'virtual_node';
  return '';
}
