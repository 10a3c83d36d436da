/** Topologies as data: services with operations that call other services or uninstrumented dependencies. */

export type CallKind = 'http' | 'db' | 'messaging' | 'external';

export interface Call {
  /** A service name, or a dependency name from `dependencies`. */
  to: string;
  /** Operation on the target service (defaults to its first). */
  op?: string;
  /** Calls in the same parallel group run concurrently; others run one after another. */
  parallelGroup?: number;
  /** Probability the call happens in a given request (default 1). */
  probability?: number;
  /** N+1: the call is made this many times in a row (default 1). */
  repeat?: number;
  /** Client timeout: the caller gives up (and records an error) after this long; the callee carries on. */
  timeoutMs?: number;
  /** Retries after a failed or timed-out attempt, each after `backoffMs` (doubling). */
  retries?: number;
  backoffMs?: number;
  /** Fire and forget: the caller does not wait for the answer. */
  async?: boolean;
  /** The callee is a worker reached through a queue (`to` is the worker service); see `QueueCall`. */
  queue?: QueueCall;
  /** Cache-aside: made only when this operation's call to the named cache dependency missed (the fallback read). */
  onMissOf?: string;
}

/**
 * Work behind a queue: the caller publishes to `via` (PRODUCER span), the worker processes the message as a
 * CONSUMER span (a child of the publish span, or with `link` the root of its own trace with a span link to it),
 * `lagMs` after the publish. With `reply`, the worker publishes an answer there and the caller waits for it in a
 * blocking receive (a CLIENT span with `messaging.operation.type=receive`). A failed delivery is delivered again
 * after `redeliveryMs`, up to `redeliveries` times.
 */
export interface QueueCall {
  via: string;
  reply?: string;
  link?: boolean;
  lagMs?: number;
  redeliveries?: number;
  redeliveryMs?: number;
}

export interface Operation {
  name: string;
  /** Median self time in ms (time spent in the service itself, outside calls). */
  selfMs: number;
  calls: Call[];
}

export interface ServiceSpec {
  operations: Operation[];
  /** Probability one of its server spans fails on its own. */
  errorRate?: number;
  /** Spread (log-normal sigma) of its self time; 0.25 by default, ~1.3 for a heavy tail. */
  sigma?: number;
  /** false: the service emits no spans; its callers' client spans name it by server.address. */
  instrumented?: boolean;
  /** Instances serving it (`service.instance.id` = `<service>-<k>`), picked at random per request; absent: one, unnamed. */
  replicas?: number;
}

export interface DependencySpec {
  kind: 'database' | 'messaging' | 'external';
  /** The node name the graph should show for it (ground truth, stated by hand from the attributes). */
  node: string;
  /** The attributes its callers' client spans carry (they name the peer). */
  attributes: Record<string, string>;
  latencyMs: number;
  errorRate?: number;
  /** The client span's name (default: `<db.system> query` for a database, `call <name>` otherwise). */
  spanName?: string;
  /** A cache: the share of reads that hit (a miss answers fast, and the caller reads through to the database). */
  hitRate?: number;
}

/** A RabbitMQ queue named `name` as its publishers' and receivers' spans name it (1 ms per operation). */
export const rabbitQueue = (name: string): DependencySpec => ({
  kind: 'messaging',
  node: name,
  attributes: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': name },
  latencyMs: 1,
});

export interface Topology {
  name: string;
  /** Entry operations and their share of requests. */
  entries: { service: string; op?: string; weight: number }[];
  services: Record<string, ServiceSpec>;
  dependencies?: Record<string, DependencySpec>;
  /** Median one-way network delay in ms between services. */
  networkMs?: number;
}

/** The seed case: a CI pipeline. */
export const ciPipeline: Topology = {
  name: 'ci-pipeline',
  entries: [{ service: 'ci-gateway', weight: 1 }],
  networkMs: 1,
  services: {
    'ci-gateway': { operations: [{ name: 'POST /builds', selfMs: 40, calls: [{ to: 'builder' }] }] },
    builder: {
      errorRate: 0.0002,
      operations: [
        {
          name: 'build',
          selfMs: 2500,
          calls: [
            { to: 'auth' },
            { to: 'git-proxy' },
            { to: 'artifact-cache', parallelGroup: 1 },
            { to: 'artifact-cache', op: 'put', parallelGroup: 1 },
          ],
        },
      ],
    },
    auth: { operations: [{ name: 'check', selfMs: 15, calls: [] }] },
    'git-proxy': { operations: [{ name: 'clone', selfMs: 300, calls: [{ to: 'storage-s3' }] }] },
    'storage-s3': { operations: [{ name: 'GetObject', selfMs: 600, calls: [] }] },
    'artifact-cache': {
      operations: [
        { name: 'get', selfMs: 200, calls: [{ to: 'redis' }] },
        { name: 'put', selfMs: 150, calls: [{ to: 'redis' }] },
      ],
    },
  },
  dependencies: {
    redis: {
      kind: 'database',
      node: 'redis-cache',
      attributes: { 'db.system': 'redis', 'server.address': 'redis-cache', 'db.namespace': '0' },
      latencyMs: 2,
    },
  },
};

/** An Online-Boutique-like shop: 11 services, a Redis, a payment API seen only via peer.service, an orders queue. */
export const shop: Topology = {
  name: 'shop',
  entries: [
    { service: 'frontend', op: 'GET /', weight: 5 },
    { service: 'frontend', op: 'POST /cart/checkout', weight: 1 },
  ],
  networkMs: 0.5,
  services: {
    frontend: {
      operations: [
        {
          name: 'GET /',
          selfMs: 8,
          calls: [
            { to: 'productcatalog', parallelGroup: 1 },
            { to: 'currency', parallelGroup: 1 },
            { to: 'cart', parallelGroup: 1 },
            { to: 'recommendation' },
            { to: 'ad' },
          ],
        },
        { name: 'POST /cart/checkout', selfMs: 10, calls: [{ to: 'checkout' }] },
      ],
    },
    productcatalog: { operations: [{ name: 'ListProducts', selfMs: 4, calls: [] }] },
    currency: { operations: [{ name: 'Convert', selfMs: 2, calls: [] }] },
    cart: { operations: [{ name: 'GetCart', selfMs: 3, calls: [{ to: 'redis' }] }] },
    recommendation: { operations: [{ name: 'ListRecommendations', selfMs: 6, calls: [{ to: 'productcatalog' }] }] },
    ad: { operations: [{ name: 'GetAds', selfMs: 3, calls: [] }] },
    checkout: {
      operations: [
        {
          name: 'PlaceOrder',
          selfMs: 12,
          calls: [
            { to: 'cart' },
            { to: 'productcatalog' },
            { to: 'currency' },
            { to: 'shipping' },
            { to: 'payment' },
            { to: 'email', parallelGroup: 2 },
            { to: 'orders-queue', parallelGroup: 2 },
          ],
        },
      ],
    },
    shipping: { operations: [{ name: 'GetQuote', selfMs: 5, calls: [] }] },
    payment: { operations: [{ name: 'Charge', selfMs: 8, calls: [{ to: 'stripe' }] }] },
    email: { operations: [{ name: 'SendConfirmation', selfMs: 15, calls: [] }] },
    fraud: { operations: [{ name: 'Score', selfMs: 5, calls: [] }] },
  },
  dependencies: {
    redis: { kind: 'database', node: 'redis-cart', attributes: { 'db.system': 'redis', 'server.address': 'redis-cart' }, latencyMs: 1 },
    stripe: {
      kind: 'external',
      node: 'stripe-api',
      attributes: { 'peer.service': 'stripe-api', 'server.address': 'api.stripe.com' },
      latencyMs: 120,
    },
    'orders-queue': {
      kind: 'messaging',
      node: 'orders',
      attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' },
      latencyMs: 3,
    },
  },
};

/** A 15-service system around one shared PostgreSQL database. */
export const platform: Topology = {
  name: 'platform',
  entries: [
    { service: 'edge', op: 'GET /feed', weight: 4 },
    { service: 'edge', op: 'POST /post', weight: 1 },
    { service: 'edge', op: 'GET /profile', weight: 2 },
  ],
  networkMs: 0.8,
  services: {
    edge: {
      operations: [
        { name: 'GET /feed', selfMs: 5, calls: [{ to: 'session' }, { to: 'feed' }] },
        { name: 'POST /post', selfMs: 6, calls: [{ to: 'session' }, { to: 'posts' }] },
        { name: 'GET /profile', selfMs: 4, calls: [{ to: 'session' }, { to: 'profile' }] },
      ],
    },
    session: { operations: [{ name: 'Validate', selfMs: 2, calls: [{ to: 'sessions-db' }] }] },
    feed: {
      operations: [
        {
          name: 'Build',
          selfMs: 10,
          calls: [{ to: 'ranking' }, { to: 'posts', op: 'List' }, { to: 'media', parallelGroup: 1 }, { to: 'ads', parallelGroup: 1 }],
        },
      ],
    },
    ranking: { operations: [{ name: 'Rank', selfMs: 15, calls: [{ to: 'features' }] }] },
    features: { operations: [{ name: 'Lookup', selfMs: 3, calls: [{ to: 'maindb' }] }] },
    posts: {
      operations: [
        { name: 'Create', selfMs: 6, calls: [{ to: 'maindb' }, { to: 'search', parallelGroup: 1 }, { to: 'notify', parallelGroup: 1 }] },
        { name: 'List', selfMs: 4, calls: [{ to: 'maindb' }] },
      ],
    },
    profile: { operations: [{ name: 'Get', selfMs: 4, calls: [{ to: 'users' }, { to: 'media' }] }] },
    users: { operations: [{ name: 'Get', selfMs: 3, calls: [{ to: 'maindb' }] }] },
    media: { operations: [{ name: 'Resolve', selfMs: 4, calls: [{ to: 'cdn' }] }] },
    ads: { operations: [{ name: 'Select', selfMs: 7, calls: [{ to: 'billing' }] }] },
    billing: { operations: [{ name: 'Budget', selfMs: 3, calls: [{ to: 'maindb' }] }] },
    search: { operations: [{ name: 'Index', selfMs: 8, calls: [] }] },
    notify: { operations: [{ name: 'Fanout', selfMs: 5, calls: [{ to: 'push-queue' }] }] },
    audit: { operations: [{ name: 'Record', selfMs: 2, calls: [] }] },
    reports: { operations: [{ name: 'Nightly', selfMs: 50, calls: [] }] },
  },
  dependencies: {
    maindb: {
      kind: 'database',
      node: 'pg-main',
      attributes: { 'db.system': 'postgresql', 'db.namespace': 'main', 'server.address': 'pg-main' },
      latencyMs: 3,
    },
    'sessions-db': {
      kind: 'database',
      node: 'redis:sessions',
      attributes: { 'db.system': 'redis', 'db.namespace': 'sessions' },
      latencyMs: 0.5,
    },
    cdn: { kind: 'external', node: 'cdn.example.net', attributes: { 'server.address': 'cdn.example.net' }, latencyMs: 20 },
    'push-queue': {
      kind: 'messaging',
      node: 'push',
      attributes: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': 'push' },
      latencyMs: 2,
    },
  },
};

/**
 * A marketplace with the naming of real instrumentations: Redis by database index, a MySQL database named like the
 * service that owns it (no server.address), MongoDB, a Kafka topic, an external API named by peer.service.
 */
export const marketplace: Topology = {
  name: 'marketplace',
  entries: [
    { service: 'api-gateway', op: 'GET /listing', weight: 3 },
    { service: 'api-gateway', op: 'POST /order', weight: 1 },
  ],
  networkMs: 0.7,
  services: {
    'api-gateway': {
      operations: [
        { name: 'GET /listing', selfMs: 5, calls: [{ to: 'identity' }, { to: 'listings' }] },
        { name: 'POST /order', selfMs: 6, calls: [{ to: 'identity' }, { to: 'orders' }] },
      ],
    },
    identity: { operations: [{ name: 'Verify', selfMs: 2, calls: [{ to: 'sessions-redis' }] }] },
    listings: {
      operations: [
        {
          name: 'Get',
          selfMs: 8,
          calls: [
            { to: 'pricing', parallelGroup: 1 },
            { to: 'reviews', parallelGroup: 1 },
            { to: 'images', parallelGroup: 1 },
            { to: 'catalog-db' },
          ],
        },
      ],
    },
    pricing: { operations: [{ name: 'Quote', selfMs: 6, calls: [{ to: 'fx' }] }] },
    reviews: { operations: [{ name: 'List', selfMs: 10, calls: [{ to: 'reviews-db' }] }] },
    images: { operations: [{ name: 'Resolve', selfMs: 4, calls: [] }] },
    orders: {
      operations: [
        { name: 'Create', selfMs: 12, calls: [{ to: 'inventory' }, { to: 'payments' }, { to: 'order-events' }, { to: 'ledger' }] },
      ],
    },
    inventory: { operations: [{ name: 'Reserve', selfMs: 3, calls: [{ to: 'inventory-db' }] }] },
    payments: { operations: [{ name: 'Charge', selfMs: 15, calls: [{ to: 'card-api' }] }] },
    ledger: { operations: [{ name: 'Append', selfMs: 5, calls: [{ to: 'ledger-db' }] }] },
  },
  dependencies: {
    'sessions-redis': {
      kind: 'database',
      node: 'sessions-redis',
      attributes: { 'db.system': 'redis', 'server.address': 'sessions-redis', 'db.namespace': '0' },
      latencyMs: 0.6,
    },
    'catalog-db': {
      kind: 'database',
      node: 'pg-catalog',
      attributes: { 'db.system': 'postgresql', 'server.address': 'pg-catalog', 'db.namespace': 'catalog' },
      latencyMs: 4,
    },
    'reviews-db': {
      kind: 'database',
      node: 'mongo-reviews',
      attributes: { 'db.system': 'mongodb', 'server.address': 'mongo-reviews', 'db.namespace': 'reviews' },
      latencyMs: 3,
    },
    'inventory-db': {
      kind: 'database',
      node: 'mysql:inventory',
      attributes: { 'db.system': 'mysql', 'db.namespace': 'inventory' },
      latencyMs: 2,
    },
    'ledger-db': {
      kind: 'database',
      node: 'pg-ledger',
      attributes: { 'db.system': 'postgresql', 'server.address': 'pg-ledger', 'db.namespace': 'ledger' },
      latencyMs: 3,
    },
    fx: {
      kind: 'external',
      node: 'api.fx-rates.io',
      attributes: { 'server.address': 'api.fx-rates.io', 'server.port': '443' },
      latencyMs: 25,
    },
    'card-api': {
      kind: 'external',
      node: 'card-processor',
      attributes: { 'peer.service': 'card-processor', 'server.address': 'api.cards.example' },
      latencyMs: 80,
    },
    'order-events': {
      kind: 'messaging',
      node: 'order-events',
      attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': 'order-events' },
      latencyMs: 2,
    },
  },
};
