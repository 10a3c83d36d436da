/**
 * Root cause where the delay travels (issue 28), on chDB through the OTLP receiver: work behind a queue (a child
 * span and a span link), redelivered poison messages, a cache-aside stampede, retries with backoff, a saturated
 * callee, slow egress, one slow replica, and a single slow path (still the edge). One hand-built system, simulated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candidate, Report } from '../../src/rca/report.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { simulate, type Fault } from '../sim/simulate.js';
import { rabbitQueue, type Topology } from '../sim/topology.js';

/** api -> stock (cache-aside over stock-db, and rates), api -> pricing (3 replicas; rates, fx), api => billing over a queue. */
function orders(link: boolean): Topology {
  return {
    name: link ? 'orders-linked' : 'orders',
    entries: [{ service: 'api', weight: 1 }],
    networkMs: 1,
    services: {
      api: {
        operations: [
          {
            name: 'POST /orders',
            selfMs: 10,
            calls: [
              { to: 'stock' },
              { to: 'pricing', retries: 3, backoffMs: 250 },
              { to: 'billing', queue: { via: 'jobs', reply: 'replies', link, lagMs: 3, redeliveries: 2, redeliveryMs: 120 } },
            ],
          },
        ],
      },
      stock: {
        operations: [
          {
            name: 'GET /stock',
            selfMs: 5,
            calls: [
              { to: 'stock-cache' },
              { to: 'stock-db', onMissOf: 'stock-cache' },
              { to: 'stock-cache', onMissOf: 'stock-cache' },
              { to: 'rates' },
            ],
          },
        ],
      },
      pricing: { replicas: 3, operations: [{ name: 'GET /price', selfMs: 6, calls: [{ to: 'rates' }, { to: 'fx' }] }] },
      rates: { operations: [{ name: 'GET /rates', selfMs: 4, calls: [] }] },
      fx: { operations: [{ name: 'GET /fx', selfMs: 3, calls: [] }] },
      billing: { operations: [{ name: 'process jobs', selfMs: 8, calls: [{ to: 'ledger-db' }] }] },
      // fx's other caller: slow egress from pricing must not look like fx itself.
      reports: { operations: [{ name: 'GET /report', selfMs: 5, calls: [{ to: 'fx' }] }] },
    },
    dependencies: {
      jobs: rabbitQueue('jobs'),
      replies: rabbitQueue('replies'),
      'stock-cache': {
        kind: 'database',
        node: 'stock-cache',
        attributes: { 'db.system': 'redis', 'server.address': 'stock-cache' },
        latencyMs: 1,
        hitRate: 0.96,
      },
      'stock-db': {
        kind: 'database',
        node: 'stock-db',
        attributes: { 'db.system': 'postgresql', 'server.address': 'stock-db', 'db.namespace': 'stock' },
        latencyMs: 12,
      },
      'ledger-db': {
        kind: 'database',
        node: 'ledger-db',
        attributes: { 'db.system': 'postgresql', 'server.address': 'ledger-db', 'db.namespace': 'ledger' },
        latencyMs: 4,
      },
    },
  };
}

interface Case {
  name: string;
  link?: boolean;
  faults: Fault[];
  truth: string;
  kind: Candidate['kind'];
  /** More to check on the report. */
  check?: (r: Report) => void;
}

const cases: Case[] = [
  {
    name: 'the worker behind a queue got slow (its span a child of the publish span)',
    faults: [{ kind: 'latency', service: 'billing', factor: 8 }],
    truth: 'billing',
    kind: 'service',
    check: (r) => {
      const billing = r.candidates.find((c) => c.service === 'billing')!;
      expect(billing.evidence.queueLag?.[0]?.queue).toBe('jobs');
      expect(r.graph.queues).toContainEqual(expect.objectContaining({ queue: 'jobs', consumer: 'billing' }));
      expect(r.candidates.find((c) => c.service === 'replies')?.verdict ?? 'normal').not.toBe('origin');
    },
  },
  {
    name: 'the worker behind a queue got slow (its own trace, linked to the publish span)',
    link: true,
    faults: [{ kind: 'latency', service: 'billing', factor: 8 }],
    truth: 'billing',
    kind: 'service',
  },
  {
    name: 'the worker fails on messages that are delivered again and again',
    link: true,
    faults: [{ kind: 'errors', service: 'billing', rate: 0.35 }],
    truth: 'billing',
    kind: 'service',
  },
  {
    name: 'a cache stopped caching: its misses load the database',
    faults: [
      { kind: 'cache', dependency: 'stock-cache', hitRate: 0.1 },
      { kind: 'dependency', dependency: 'stock-db', factor: 2 },
    ],
    truth: 'stock-cache',
    kind: 'database',
    check: (r) => {
      const db = r.candidates.find((c) => c.service === 'stock-db')!;
      expect(db.verdict).not.toBe('origin');
      expect(db.evidence.load).toMatchObject({ role: 'loaded', origin: 'stock-cache', caller: 'stock' });
      expect(db.evidence.load!.callsPerRequest.current!).toBeGreaterThan(5 * db.evidence.load!.callsPerRequest.baseline!);
    },
  },
  {
    name: 'failures hidden by retries with backoff are the callee’s',
    faults: [{ kind: 'errors', service: 'pricing', rate: 0.05 }],
    truth: 'pricing',
    kind: 'service',
  },
  {
    name: 'calls into a saturated service slow from every caller, its own spans do not',
    faults: [
      { kind: 'network', from: 'stock', to: 'rates', addMs: 60 },
      { kind: 'network', from: 'pricing', to: 'rates', addMs: 60 },
    ],
    truth: 'rates',
    kind: 'service',
  },
  {
    name: 'every call out of one service slows, its callees are fine for others: its egress',
    faults: [
      { kind: 'network', from: 'pricing', to: 'rates', addMs: 60 },
      { kind: 'network', from: 'pricing', to: 'fx', addMs: 60 },
    ],
    truth: 'pricing',
    kind: 'service',
  },
  {
    name: 'one replica of three got slow',
    faults: [{ kind: 'latency', service: 'pricing', factor: 12, replica: 1 }],
    truth: 'pricing',
    kind: 'service',
    check: (r) => expect(r.candidates[0]!.evidence.replica?.instance).toBe('pricing-1'),
  },
  {
    name: 'one path alone slowed: the network between the two',
    faults: [{ kind: 'network', from: 'api', to: 'stock', addMs: 60 }],
    truth: 'api -> stock',
    kind: 'edge',
  },
];

let h: Harness;
const HOUR = 3600_000;
const t0 = Math.floor((Date.now() - 3 * 24 * HOUR) / HOUR) * HOUR;
const slot = (i: number) => ({ baselineStart: t0 + i * 2 * HOUR, windowStart: t0 + i * 2 * HOUR + HOUR });

beforeAll(async () => {
  h = await startHarness();
  for (const [i, c] of cases.entries()) {
    const w = slot(i);
    const topology = orders(c.link ?? false);
    // Each case has its own environment, so one case's faults never show in another's graph.
    const environment = `case-${i}`;
    await sendSpans(h.otlpHttp, [
      ...simulate(topology, { seed: 700 + i, startMs: w.baselineStart, durationMs: HOUR, requests: 900, environment }).spans,
      ...simulate(topology, {
        seed: 800 + i,
        startMs: w.windowStart,
        durationMs: 15 * 60_000,
        requests: 300,
        environment,
        faults: c.faults,
      }).spans,
    ]);
  }
  await h.app.settleGraph();
}, 120_000);
afterAll(() => h.stop());

describe('root cause where the delay travels', () => {
  cases.forEach((c, i) => {
    it(`${c.name}: ${c.truth}`, async () => {
      const w = slot(i);
      const res = await fetch(`${h.api}/api/v1/rca`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          service: 'api',
          environment: `case-${i}`,
          start: w.windowStart,
          end: w.windowStart + 15 * 60_000,
          baselineStart: w.baselineStart,
          baselineEnd: w.windowStart,
        }),
      });
      expect(res.status).toBe(200);
      const r = (await res.json()) as Report;
      const top = r.candidates[0]!;
      expect(`${top.service} (${top.kind})`, r.summary).toBe(`${c.truth} (${c.kind})`);
      expect(top.verdict).toBe('origin');
      expect(r.summary).toContain(c.truth);
      c.check?.(r);
    });
  });
});
