/**
 * Names the uninstrumented peer a client span talks to (DESIGN.md "graph semantics"): the first present of
 * peer.service, db.name/db.namespace with db.system, messaging.destination.name, server.address/net.peer.name.
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
  if (peerService) return { name: peerService, kind: dbSystem ? 'database' : messaging || attrs['messaging.system'] ? 'messaging' : 'external' };
  if (dbSystem) return { name: attrs['db.name'] || attrs['db.namespace'] || dbSystem, kind: 'database' };
  if (messaging) return { name: messaging, kind: 'messaging' };
  const address = attrs['server.address'] || attrs['net.peer.name'];
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
