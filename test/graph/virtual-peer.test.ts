/**
 * Naming uninstrumented peers the way real instrumentations describe them (attribute sets as the OTel JS
 * instrumentations emit them: pg, mysql2, redis/ioredis, mongodb, kafkajs, http). A dependency is named by what
 * identifies it: never a bare Redis index ("0") and never a bare namespace that may equal a service's name.
 */
import { describe, expect, it } from 'vitest';
import { isPoolWait, virtualPeerOf } from '../../src/graph/virtual-peer.js';

const cases: [string, Record<string, string>, { name: string; kind: string } | undefined][] = [
  [
    'pg (semconv 1.26+)',
    {
      'db.system': 'postgresql',
      'db.namespace': 'inventory',
      'server.address': 'pg-main',
      'server.port': '5432',
      'db.query.text': 'SELECT 1',
    },
    { name: 'pg-main', kind: 'database' },
  ],
  [
    'pg (older: db.name, net.peer.name)',
    { 'db.system': 'postgresql', 'db.name': 'inventory', 'net.peer.name': 'pg-main', 'net.peer.port': '5432' },
    { name: 'pg-main', kind: 'database' },
  ],
  [
    'pg without a host: the namespace, qualified',
    { 'db.system': 'postgresql', 'db.namespace': 'inventory' },
    { name: 'postgresql:inventory', kind: 'database' },
  ],
  [
    'mysql2',
    { 'db.system': 'mysql', 'db.name': 'shop', 'net.peer.name': 'mysql-primary', 'net.peer.port': '3306' },
    { name: 'mysql-primary', kind: 'database' },
  ],
  [
    'redis (db index as namespace)',
    { 'db.system': 'redis', 'db.namespace': '0', 'server.address': 'redis-cart', 'server.port': '6379' },
    { name: 'redis-cart', kind: 'database' },
  ],
  ['ioredis without a host: the system, not the index', { 'db.system': 'redis', 'db.namespace': '0' }, { name: 'redis', kind: 'database' }],
  [
    'mongodb',
    { 'db.system': 'mongodb', 'db.name': 'reviews', 'db.mongodb.collection': 'items', 'net.peer.name': 'mongo-0' },
    { name: 'mongo-0', kind: 'database' },
  ],
  [
    'kafkajs producer',
    { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders', 'messaging.operation': 'publish' },
    { name: 'orders', kind: 'messaging' },
  ],
  [
    'kafkajs (older messaging.destination)',
    { 'messaging.system': 'kafka', 'messaging.destination': 'orders' },
    { name: 'orders', kind: 'messaging' },
  ],
  [
    'http to an external host',
    {
      'http.request.method': 'POST',
      'server.address': 'api.stripe.com',
      'server.port': '443',
      'url.full': 'https://api.stripe.com/v1/charges',
    },
    { name: 'api.stripe.com', kind: 'external' },
  ],
  ['peer.service wins', { 'peer.service': 'payments-api', 'server.address': 'api.stripe.com' }, { name: 'payments-api', kind: 'external' }],
  [
    'peer.service on a database span',
    { 'peer.service': 'ledger-db', 'db.system': 'postgresql', 'server.address': 'pg-ledger' },
    { name: 'ledger-db', kind: 'database' },
  ],
  [
    'pg on 127.0.0.1 beside Redis on the same host (issue 29): system and database',
    { 'db.system': 'postgresql', 'db.namespace': 'shop', 'server.address': '127.0.0.1', 'server.port': '5432' },
    { name: 'postgresql:shop', kind: 'database' },
  ],
  [
    'ioredis on 127.0.0.1: system, host and port (never the index)',
    { 'db.system': 'redis', 'db.namespace': '0', 'server.address': '127.0.0.1', 'server.port': '6379' },
    { name: 'redis@127.0.0.1:6379', kind: 'database' },
  ],
  [
    'a database on localhost (older net.peer.*)',
    { 'db.system': 'mysql', 'net.peer.name': 'localhost', 'net.peer.port': '3306' },
    { name: 'mysql@localhost:3306', kind: 'database' },
  ],
  ['nothing names the peer', { 'http.request.method': 'GET' }, undefined],
];

describe('virtualPeerOf', () => {
  for (const [name, attrs, expected] of cases) {
    it(name, () => {
      expect(virtualPeerOf(attrs)).toEqual(expected);
    });
  }
});

describe('isPoolWait', () => {
  it('knows the pool-acquire spans of common instrumentations, and not the queries', () => {
    for (const name of ['pg-pool.connect', 'pg.connect', 'mysql.pool.acquire', 'acquire connection', 'pool.checkout'])
      expect(isPoolWait(name), name).toBe(true);
    for (const name of ['SELECT shop.stock', 'pg.query:SELECT', 'GET', 'connect', 'POST /pool/connect/x'])
      expect(isPoolWait(name), name).toBe(false);
  });
});
