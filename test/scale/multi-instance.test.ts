/**
 * Several faultline instances over one ClickHouse (issue 23): two real `faultline serve` processes on the server path
 * (FAULTLINE_CLICKHOUSE_URL, through the ClickHouse HTTP front over chDB the tests already use), spans routed between
 * them by trace ID as the Collector's `loadbalancing` exporter does (the router is this test: hash of the trace ID
 * modulo two). Migrations apply once; the graph, service latencies and incidents read the same from either; the same
 * Alertmanager page sent to both yields one incident and one analysis; a client/server pair never spans the two
 * instances (trace-ID routing sends a trace's spans to one of them), so every edge is whole; and an instance killed
 * mid-load loses nothing it acknowledged while the other keeps serving.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/rca/report.js';
import type { Span } from '../../src/span.js';
import { openStore, type Store } from '../../src/store/clickhouse-store.js';
import { alertmanagerWebhook } from '../helpers/alertmanager-webhook.js';
import { freePort } from '../helpers/free-port.js';
import { runServe, type ServeProcess } from '../helpers/serve-process.js';
import { sharedFront } from '../helpers/test-store.js';
import { encodeProto } from '../sim/otlp-encode.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

interface Instance {
  proc: ServeProcess;
  api: string;
  otlp: string;
}

let url: string;
let store: Store;
const instances: Instance[] = [];
const now = Date.now();
const dir = mkdtempSync(join(tmpdir(), 'faultline-multi-'));

async function start(name: string): Promise<Instance> {
  const [api, otlp] = [await freePort(), await freePort()];
  const proc = runServe({
    FAULTLINE_DATA_DIR: join(dir, name),
    FAULTLINE_CLICKHOUSE_URL: url,
    FAULTLINE_API_ADDR: `127.0.0.1:${api}`,
    FAULTLINE_OTLP_HTTP_ADDR: `127.0.0.1:${otlp}`,
    FAULTLINE_OTLP_GRPC_ADDR: '127.0.0.1:0',
    FAULTLINE_PAIR_WAIT_MS: '1000',
  });
  return { proc, api: `http://127.0.0.1:${api}`, otlp: `http://127.0.0.1:${otlp}` };
}

async function ready(i: Instance): Promise<void> {
  for (let n = 0; n < 600; n++) {
    if ((await fetch(`${i.api}/readyz`).catch(() => undefined))?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`instance did not become ready:\n${i.proc.output()}`);
}

/** The loadbalancing exporter's routing key: the trace ID. */
const routeOf = (traceId: string): number => createHash('sha256').update(traceId).digest()[0]! % 2;

async function send(i: Instance, spans: Span[]): Promise<number> {
  const res = await fetch(`${i.otlp}/v1/traces`, {
    method: 'POST',
    body: encodeProto(spans),
    headers: { 'content-type': 'application/x-protobuf' },
  });
  await res.arrayBuffer();
  return res.status;
}

/** Routes spans by trace to the two instances, in requests of about `chunk` spans each. */
async function route(spans: Span[], chunk = 3000): Promise<void> {
  const parts: Span[][] = [[], []];
  for (const s of spans) parts[routeOf(s.traceId)]!.push(s);
  for (const [k, part] of parts.entries())
    for (let j = 0; j < part.length; j += chunk) expect(await send(instances[k]!, part.slice(j, j + chunk))).toBe(200);
}

const json = async <T>(i: Instance, path: string): Promise<T> => (await (await fetch(`${i.api}${path}`)).json()) as T;
const metric = async (i: Instance, name: string): Promise<number> =>
  (await (await fetch(`${i.api}/metrics`)).text())
    .split('\n')
    .filter((l) => l.startsWith(name))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);

beforeAll(async () => {
  url = `${(await sharedFront()).url}/multi_${process.pid}`;
  // Both start at once: the migration lock lets one of them apply each migration.
  instances.push(await start('a'), await start('b'));
  await Promise.all(instances.map(ready));
  store = await openStore({ dataDir: dir, clickhouseUrl: url });
}, 120_000);

afterAll(async () => {
  for (const i of instances) i.proc.child.kill('SIGKILL');
  await store?.close();
});

describe('two instances over one ClickHouse', () => {
  const baseline = simulate(ciPipeline, { seed: 21, startMs: now - 80 * 60_000, durationMs: 60 * 60_000, requests: 800 });
  const incident = simulate(ciPipeline, {
    seed: 22,
    startMs: now - 20 * 60_000,
    durationMs: 19 * 60_000,
    requests: 300,
    faults: [{ kind: 'latency', service: 'storage-s3', factor: 8 }],
  });

  it('apply each migration once, whichever started first', async () => {
    const versions = (await store.query('schema_migrations_applied')).map((r) => Number(r.version));
    expect(versions.length).toBeGreaterThanOrEqual(13);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('read the same graph and latencies from either instance, every edge whole', async () => {
    await route([...baseline.spans, ...incident.spans]);
    // Both settle their pairing (1 s wait) and write the derived rows.
    await new Promise((r) => setTimeout(r, 4000));
    const window = `start=${now - 90 * 60_000}&end=${now}`;
    type Graph = { edges: { source: string; target: string; calls: number }[]; nodes: { id: string }[] };
    const [ga, gb] = (await Promise.all(instances.map((i) => json<Graph>(i, `/api/v1/graph?${window}`)))) as [Graph, Graph];
    expect(ga).toEqual(gb);
    // Every call of the simulation is one edge call: no pair was split between the instances.
    const truth = new Map<string, number>();
    for (const sim of [baseline, incident]) for (const [k, v] of sim.edges) truth.set(k, (truth.get(k) ?? 0) + v.calls);
    for (const [key, calls] of truth) {
      const [source, target] = key.split('->');
      expect(ga.edges.find((e) => e.source === source && e.target === target)?.calls, key).toBe(calls);
    }
    expect(await metric(instances[0]!, 'traces_service_graph_unpaired_spans_total')).toBe(0);
    expect(await metric(instances[1]!, 'traces_service_graph_unpaired_spans_total')).toBe(0);
    const [la, lb] = await Promise.all(instances.map((i) => json<unknown>(i, `/api/v1/services/builder/latency?${window}`)));
    expect(la).toEqual(lb);
  });

  it('the same page sent to both: one incident, one analysis, readable from either', async () => {
    const page = alertmanagerWebhook([{ service: 'builder', startsAt: new Date(now - 5 * 60_000), fingerprint: 'b0b0b0b0b0b0b0b0' }]);
    const answers = await Promise.all(
      instances.map(async (i) => {
        const res = await fetch(`${i.api}/api/v1/alerts/alertmanager`, {
          method: 'POST',
          body: JSON.stringify(page),
          headers: { 'content-type': 'application/json' },
        });
        const body = (await res.json()) as { incidents?: { id: string }[] };
        expect(body.incidents, JSON.stringify(body)).toHaveLength(1);
        return body.incidents![0]!.id;
      }),
    );
    expect(answers[0]).toBe(answers[1]);
    const id = answers[0]!;
    let report: Report | undefined;
    for (let n = 0; n < 600 && report?.status !== 'done'; n++) {
      report = await json<Report>(instances[n % 2]!, `/api/v1/incidents/${id}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(report!.status).toBe('done');
    expect(report!.candidates[0]!.service).toBe('storage-s3');
    expect(await json<Report>(instances[1]!, `/api/v1/incidents/${id}`)).toEqual(
      await json<Report>(instances[0]!, `/api/v1/incidents/${id}`),
    );
    for (const i of instances) expect(await json<unknown[]>(i, '/api/v1/incidents')).toHaveLength(1);
    // One analysis between them: each instance counts the analyses it ran.
    const firsts = await Promise.all(instances.map((i) => metric(i, 'faultline_analyses_total{kind="first"}')));
    expect(firsts.reduce((a, b) => a + b, 0)).toBe(1);
  }, 60_000);

  it('an instance killed mid-load loses nothing it acknowledged; the other keeps serving', async () => {
    const load = simulate(ciPipeline, { seed: 23, startMs: now - 60_000, durationMs: 50_000, requests: 600 });
    const byTrace = new Map<string, Span[]>();
    for (const s of load.spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
    const traces = [...byTrace.keys()];
    const acked = new Set<string>();
    const [a, b] = instances as [Instance, Instance];
    let killed = false;
    for (let j = 0; j < traces.length; j += 20) {
      const batch = traces.slice(j, j + 20);
      if (j === 200) {
        // Kill A while a request of its is in flight.
        const inFlight = send(
          a,
          batch.filter((t) => routeOf(t) === 0).flatMap((t) => byTrace.get(t)!),
        ).catch(() => 0);
        a.proc.child.kill('SIGKILL');
        killed = true;
        // Acknowledged by A, or refused and then resent to B (as the exporter's retry would): acknowledged either way.
        const mine = batch.filter((t) => routeOf(t) === 0);
        if ((await inFlight) !== 200)
          expect(
            await send(
              b,
              mine.flatMap((t) => byTrace.get(t)!),
            ),
          ).toBe(200);
        for (const t of mine) acked.add(t);
        const rest = batch.filter((t) => routeOf(t) === 1);
        expect(
          await send(
            b,
            rest.flatMap((t) => byTrace.get(t)!),
          ),
        ).toBe(200);
        for (const t of rest) acked.add(t);
        continue;
      }
      for (const k of [0, 1]) {
        // After the kill, the loadbalancing exporter's resolver drops A: everything goes to B.
        const part = batch.filter((t) => routeOf(t) === k);
        if (part.length === 0) continue;
        const target = k === 0 && !killed ? a : b;
        expect(
          await send(
            target,
            part.flatMap((t) => byTrace.get(t)!),
          ),
        ).toBe(200);
        for (const t of part) acked.add(t);
      }
    }
    expect(killed).toBe(true);
    expect(await a.proc.exited).toBeNull(); // killed by the signal
    // Every acknowledged span is in the store, read through the survivor's own view of it.
    // (A span A committed but could not acknowledge is resent to B: at least once, so the check is "contains".)
    const stored = new Set((await store.query('spans_for_traces', { traceIds: [...acked] })).map((r) => `${r.traceId}/${r.spanId}`));
    const missing = [...acked].flatMap((t) => byTrace.get(t)!).filter((x) => !stored.has(`${x.traceId}/${x.spanId}`));
    expect(acked.size).toBe(traces.length);
    expect(missing).toEqual([]);
    expect((await fetch(`${b.api}/readyz`)).status).toBe(200);
    expect(await json<unknown[]>(b, '/api/v1/incidents')).toHaveLength(1);
  }, 120_000);
});
