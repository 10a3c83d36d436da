/**
 * Two environments in one store (issue 18): the same shop runs in production (healthy) and in staging (a load test
 * makes inventory slow). Services, graph, metrics and incidents keep them apart; the alert's `environment` label
 * picks the one to analyse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/rca/report.js';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sendSpans } from '../helpers/load-spans.js';
import { simulate } from '../sim/simulate.js';
import { marketplace } from '../sim/topology.js';

let h: Harness;
const now = Date.now();
const windowStart = now - 15 * 60_000;
beforeAll(async () => {
  h = await startHarness();
  const base = { startMs: windowStart - 3600_000, durationMs: 3600_000, requests: 1200 };
  const window = { startMs: windowStart, durationMs: 14 * 60_000, requests: 400 };
  await sendSpans(h.otlpHttp, [
    ...simulate(marketplace, { seed: 1, ...base, environment: 'production' }).spans,
    ...simulate(marketplace, { seed: 2, ...window, environment: 'production' }).spans,
    ...simulate(marketplace, { seed: 3, ...base, environment: 'staging' }).spans,
    ...simulate(marketplace, {
      seed: 4,
      ...window,
      environment: 'staging',
      faults: [{ kind: 'latency', service: 'inventory', factor: 30 }],
    }).spans,
  ]);
  await h.app.settleGraph();
});
afterAll(() => h.stop());

const services = async (env: string) =>
  (await (await fetch(`${h.api}/api/v1/services?start=${windowStart}&end=${now}&environment=${env}`)).json()) as {
    name: string;
    requests: number;
    p99Ms: number;
  }[];

describe('environments', () => {
  it('services and latency are per environment', async () => {
    const prod = (await services('production')).find((s) => s.name === 'inventory')!;
    const staging = (await services('staging')).find((s) => s.name === 'inventory')!;
    expect(staging.p99Ms).toBeGreaterThan(10 * prod.p99Ms);
    const both = (await services('')).find((s) => s.name === 'inventory')!;
    expect(both.requests).toBe(prod.requests + staging.requests);
    const lat = async (env: string) =>
      (
        (await (await fetch(`${h.api}/api/v1/services/inventory/latency?start=${windowStart}&end=${now}&environment=${env}`)).json()) as {
          count: number;
        }
      ).count;
    expect(await lat('production')).toBe(prod.requests);
  });

  it('the graph of one environment has only its calls', async () => {
    const g = async (env: string) =>
      (await (await fetch(`${h.api}/api/v1/graph?start=${windowStart}&end=${now}&environment=${env}`)).json()) as {
        edges: { source: string; target: string; calls: number }[];
      };
    const calls = (graph: { edges: { source: string; target: string; calls: number }[] }) =>
      graph.edges.find((e) => e.source === 'orders' && e.target === 'inventory')!.calls;
    const [prod, staging, all] = [await g('production'), await g('staging'), await g('')];
    expect(calls(prod) + calls(staging)).toBe(calls(all));
    expect(calls(prod)).toBeGreaterThan(0);
  });

  it('metrics carry the environment as a dimension', async () => {
    const text = await (await fetch(`${h.api}/metrics`)).text();
    expect(text).toMatch(
      /traces_span_metrics_calls_total\{service_name="inventory",span_name="Reserve",span_kind="SPAN_KIND_SERVER",status_code="STATUS_CODE_UNSET",deployment_environment="staging"\}/,
    );
    expect(text).toMatch(
      /traces_service_graph_request_total\{client="orders",server="inventory",connection_type="",client_deployment_environment="production",server_deployment_environment="production"\}/,
    );
  });

  it("a staging load test does not page production's analysis; the staging alert finds it", async () => {
    const alerts = ['production', 'staging'].map((environment, i) => ({
      service: 'api-gateway',
      startsAt: new Date(now - 2 * 60_000),
      fingerprint: `env${i}`,
      labels: { environment },
    }));
    const res = await fetch(`${h.api}/api/v1/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alertmanagerWebhook(alerts)),
    });
    const ids = ((await res.json()) as { incidents: { id: string }[] }).incidents.map((i) => i.id);
    expect(ids).toHaveLength(2);
    await h.app.incidents.idle();
    const [prod, staging] = await Promise.all(
      ids.map(async (id) => (await (await fetch(`${h.api}/api/v1/incidents/${id}`)).json()) as Report),
    );
    expect(prod!.environment).toBe('production');
    expect(staging!.environment).toBe('staging');
    expect(staging!.candidates[0]!.service).toBe('inventory');
    expect(staging!.verdict).toBe('origin_found');
    expect(prod!.verdict).not.toBe('origin_found');
    expect(prod!.candidates.find((c) => c.service === 'inventory')?.evidence.addedMsPerRequest?.current ?? 0).toBeLessThan(10);
    // Not one group: different environments are different faults.
    expect(prod!.groupId).toBeUndefined();
  });
});
