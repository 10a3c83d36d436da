/**
 * What an SRE hits in the first hour (issue 18), through ingest, the store and the webhook: a Postgres whose
 * db.namespace equals its caller's service name, a Redis named by index "0", four alerts on one path, and an alert
 * about something that sends no traces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/rca/report.js';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { simulate } from '../sim/simulate.js';
import type { Topology } from '../sim/topology.js';

const shop: Topology = {
  name: 'inventory-shop',
  entries: [{ service: 'frontend', weight: 1 }],
  networkMs: 0.5,
  services: {
    frontend: { operations: [{ name: 'GET /product', selfMs: 5, calls: [{ to: 'session' }, { to: 'catalog' }] }] },
    session: { operations: [{ name: 'Check', selfMs: 1, calls: [{ to: 'redis' }] }] },
    catalog: { operations: [{ name: 'Get', selfMs: 4, calls: [{ to: 'inventory' }] }] },
    inventory: { operations: [{ name: 'Stock', selfMs: 3, calls: [{ to: 'postgres' }] }] },
  },
  dependencies: {
    // As the pg instrumentation names it when the connection string has no host: only the database name.
    postgres: {
      kind: 'database',
      node: 'postgresql:inventory',
      attributes: { 'db.system': 'postgresql', 'db.namespace': 'inventory' },
      latencyMs: 4,
    },
    redis: {
      kind: 'database',
      node: 'redis-sessions',
      attributes: { 'db.system': 'redis', 'db.namespace': '0', 'server.address': 'redis-sessions' },
      latencyMs: 0.5,
    },
  },
};

let h: Harness;
const now = Date.now();
const windowStart = now - 15 * 60_000;
beforeAll(async () => {
  h = await startHarness();
  await sendSpans(h.otlpHttp, [
    ...simulate(shop, { seed: 3, startMs: windowStart - 3600_000, durationMs: 3600_000, requests: 1500 }).spans,
    ...simulate(shop, {
      seed: 4,
      startMs: windowStart,
      durationMs: 14 * 60_000,
      requests: 400,
      faults: [{ kind: 'dependency', dependency: 'postgres', factor: 90 }],
    }).spans,
  ]);
  await h.app.settleGraph();
});
afterAll(() => h.stop());

const post = (body: unknown) =>
  fetch(`${h.api}/api/v1/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function waitFor(id: string, done: (r: Report) => boolean): Promise<Report> {
  let r: Report | undefined;
  for (let i = 0; i < 400; i++) {
    r = (await (await fetch(`${h.api}/api/v1/incidents/${id}`)).json()) as Report;
    if (done(r)) return r;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`incident ${id} never got there: ${JSON.stringify(r?.status)}`);
}

describe('first hour', () => {
  it('a slow Postgres named like its caller is its own node, and ranks first as the origin', async () => {
    const graph = (await (await fetch(`${h.api}/api/v1/graph?start=${windowStart}&end=${now}`)).json()) as {
      nodes: { id: string; kind: string }[];
      edges: { source: string; target: string }[];
    };
    expect(graph.nodes.find((n) => n.id === 'postgresql:inventory')?.kind).toBe('database');
    expect(graph.nodes.find((n) => n.id === 'inventory')?.kind).toBe('service');
    expect(graph.edges.some((e) => e.source === 'inventory' && e.target === 'inventory')).toBe(false);
    const metrics = await (await fetch(`${h.api}/metrics`)).text();
    expect(metrics).not.toMatch(/client="inventory",server="inventory"/);
    expect(metrics).toMatch(
      /traces_service_graph_request_total\{client="inventory",server="postgresql:inventory",connection_type="database"\}/,
    );

    const res = await fetch(`${h.api}/api/v1/rca`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'frontend', start: windowStart, end: now }),
    });
    const report = (await res.json()) as Report;
    expect(report.candidates[0]).toMatchObject({
      service: 'postgresql:inventory',
      kind: 'database',
      verdict: 'origin',
      path: ['frontend', 'catalog', 'inventory', 'postgresql:inventory'],
    });
    expect(report.verdict).toBe('origin_found');
    expect(report.candidates.find((c) => c.service === 'inventory')!.verdict).toBe('victim');
  });

  it('Redis with db.namespace=0 is named by its host, never "0"', async () => {
    const services = (await (await fetch(`${h.api}/api/v1/services?start=${windowStart}&end=${now}`)).json()) as {
      name: string;
      kind: string;
    }[];
    expect(services.find((s) => s.name === 'redis-sessions')?.kind).toBe('database');
    expect(services.map((s) => s.name)).not.toContain('0');
  });

  it('four alerts on one path form one incident group', async () => {
    // P99 alerts on frontend, catalog and inventory, and an error alert on catalog, within four minutes.
    const alerts = [
      { service: 'frontend', startsAt: new Date(now - 4 * 60_000), fingerprint: 'path0' },
      { service: 'catalog', startsAt: new Date(now - 3 * 60_000), fingerprint: 'path1' },
      { service: 'inventory', startsAt: new Date(now - 2 * 60_000), fingerprint: 'path2' },
      { service: 'catalog', startsAt: new Date(now - 60_000), fingerprint: 'path3', alertname: 'CatalogErrors' },
    ];
    const body = (await (await post(alertmanagerWebhook(alerts))).json()) as { incidents: { id: string }[] };
    expect(body.incidents).toHaveLength(4);
    const ids = body.incidents.map((i) => i.id);
    await Promise.all(ids.map((id) => waitFor(id, (r) => r.status === 'done')));
    await h.app.incidents.idle();
    const reports = await Promise.all(ids.map((id) => waitFor(id, (r) => r.groupId !== undefined)));
    expect(new Set(reports.map((r) => r.groupId)).size).toBe(1);
    const frontend = reports.find((r) => r.service === 'frontend')!;
    expect(frontend.alsoPaging).toEqual(['catalog', 'inventory']);
    expect(reports.find((r) => r.service === 'inventory')!.summary).toMatch(/Also paging: .*frontend/);
  });

  it('an alert for something that sends no spans is skipped, not an empty incident, and counted', async () => {
    const res = await post(
      alertmanagerWebhook([{ service: 'node-exporter', labelName: 'job', alertname: 'InstanceDown', startsAt: new Date(now - 60_000) }]),
    );
    expect(res.status).toBe(202);
    const body = (await res.json()) as { incidents: unknown[]; skipped: { reason: string }[] };
    expect(body.incidents).toEqual([]);
    expect(body.skipped[0]!.reason).toMatch(/no spans of node-exporter in the last \d+ minutes/);
    const list = (await (await fetch(`${h.api}/api/v1/incidents?service=node-exporter`)).json()) as unknown[];
    expect(list).toEqual([]);
    expect(await (await fetch(`${h.api}/metrics`)).text()).toMatch(/faultline_alerts_skipped_total\{reason="no_spans"\} 1/);
  });
});
