/**
 * npm run bench:storm — an alert storm as an SRE's Alertmanager sends it: N incidents (INCIDENTS, default 60) paged
 * one after another every ~2 s (GAP_MS) over a store of ~1.6M spans (SPANS) with live ingest running all along.
 * faultline runs as its own process. Prints the time from webhook to each incident's first report (p50/p90/max, and
 * per third of the storm: it must not grow with the number already firing), the re-analyses done (and skipped, from
 * /metrics), and the ingest ack latency before and during the storm.
 * The pair wait is set to 1 s (FAULTLINE_PAIR_WAIT_MS) so the settle wait before each first analysis is short and the
 * figures show the queue, not the wait for settled data; the settle bound is printed beside them.
 */
import type { Span } from '../src/span.js';
import { encodeProto } from '../test/sim/otlp-encode.js';
import { generateTopology } from '../test/sim/generated-topology.js';
import { simulate } from '../test/sim/simulate.js';
import { ciPipeline, marketplace, platform, shop, type Topology } from '../test/sim/topology.js';
import { alertmanagerWebhook } from '../test/helpers/alertmanager-webhook.js';
import { procStats, startFaultlineProcess } from './faultline-process.js';
import { percentileOf } from './percentile.js';

const INCIDENTS = Number(process.env.INCIDENTS ?? 60);
const GAP_MS = Number(process.env.GAP_MS ?? 2000);
const SPANS = Number(process.env.SPANS ?? 1_600_000);
const PAIR_WAIT_MS = 1000;
const MINUTE = 60_000;

const TOPOLOGIES: Topology[] = [ciPipeline, shop, platform, marketplace, generateTopology(7, 16, 2)];

async function post(url: string, body: Uint8Array | string, type: string): Promise<Response> {
  return fetch(url, { method: 'POST', body, headers: { 'content-type': type } });
}

async function main(): Promise<void> {
  const fl = await startFaultlineProcess('storm', { FAULTLINE_PAIR_WAIT_MS: String(PAIR_WAIT_MS) });
  const otlp = `http://127.0.0.1:${fl.httpPort}/v1/traces`;
  const api = `http://127.0.0.1:${fl.apiPort}`;
  try {
    // History: 70 minutes of every topology, ~SPANS spans in all.
    const now = Date.now();
    const perTopology = SPANS / TOPOLOGIES.length;
    let loaded = 0;
    const traced = new Set<string>();
    const loadStart = performance.now();
    for (const [i, t] of TOPOLOGIES.entries()) {
      const probe = simulate(t, { seed: 900 + i, startMs: 0, durationMs: MINUTE, requests: 50 }).spans.length / 50;
      const spans = simulate(t, {
        seed: 100 + i,
        startMs: now - 70 * MINUTE,
        durationMs: 69 * MINUTE,
        requests: Math.round(perTopology / probe),
      }).spans;
      for (let k = 0; k < spans.length; k += 5000) {
        const res = await post(otlp, encodeProto(spans.slice(k, k + 5000)), 'application/x-protobuf');
        if (res.status !== 200) throw new Error(`load failed: ${res.status}`);
      }
      loaded += spans.length;
      for (const sp of spans) traced.add(sp.serviceName);
    }
    console.log(`loaded ${loaded} spans in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);
    const services = [...traced];

    // Live ingest: every 200 ms a batch of current requests of the shop, its ack latency recorded.
    const acks: { at: number; ms: number; ok: boolean }[] = [];
    let ingesting = true;
    const ingest = (async () => {
      let seed = 5000;
      while (ingesting) {
        const spans: Span[] = simulate(shop, { seed: seed++, startMs: Date.now() - 300, durationMs: 200, requests: 40 }).spans;
        const t = performance.now();
        const res = await post(otlp, encodeProto(spans), 'application/x-protobuf');
        await res.arrayBuffer();
        acks.push({ at: Date.now(), ms: performance.now() - t, ok: res.status === 200 });
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    await new Promise((r) => setTimeout(r, 15_000));
    const stormStart = Date.now();

    // The storm: one webhook every GAP_MS, each polled until its first report.
    const firstReport: number[] = new Array(INCIDENTS).fill(NaN);
    const ids: string[] = [];
    const polls: Promise<void>[] = [];
    for (let i = 0; i < INCIDENTS; i++) {
      const sent = performance.now();
      const body = alertmanagerWebhook([
        {
          service: services[i % services.length]!,
          // A service paged again starts 6 minutes apart from its last page: its own incident and analysis, not an
          // alert flood sharing one (alert-flood.ts); every page in this storm needs its own first analysis.
          startsAt: new Date(Date.now() - MINUTE - Math.floor(i / services.length) * 6 * MINUTE),
          fingerprint: `storm-${now}-${i}`,
        },
      ]);
      const res = await post(`${api}/api/v1/alerts/alertmanager`, JSON.stringify(body), 'application/json');
      const incident = ((await res.json()) as { incidents: { id: string }[] }).incidents[0];
      if (!incident) throw new Error(`webhook ${i}: no incident (${res.status})`);
      ids.push(incident.id);
      polls.push(
        (async () => {
          for (;;) {
            const r = (await (await fetch(`${api}/api/v1/incidents/${incident.id}`)).json()) as { status: string };
            if (r.status === 'done' || r.status === 'failed') {
              firstReport[i] = performance.now() - sent;
              return;
            }
            await new Promise((r) => setTimeout(r, 100));
          }
        })(),
      );
      if (i % 10 === 9) process.stderr.write(`paged ${i + 1}/${INCIDENTS}\n`);
      await new Promise((r) => setTimeout(r, GAP_MS));
    }
    await Promise.all(polls);
    // Let the re-analyses run on a little while all incidents fire, as they would.
    await new Promise((r) => setTimeout(r, 20_000));
    const stormEnd = Date.now();
    ingesting = false;
    await ingest;

    const reports = await Promise.all(
      ids.map(async (id) => (await (await fetch(`${api}/api/v1/incidents/${id}`)).json()) as { history?: unknown[]; status: string }),
    );
    const analyses = reports.reduce((s, r) => s + (r.history?.length ?? 0), 0);
    const metrics = await (await fetch(`${api}/metrics`)).text();
    const metric = (kind: string, name: string) => Number(new RegExp(`^${name}\\{kind="${kind}"\\} (\\S+)`, 'm').exec(metrics)?.[1] ?? 0);
    const { rssBytes } = procStats(fl.pid);

    const q = (xs: number[], p: number) =>
      percentileOf(
        [...xs].sort((a, b) => a - b),
        p,
      )!;
    const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`\nalert storm: ${INCIDENTS} incidents, one every ${GAP_MS} ms, live ingest of ~1000 spans/s`);
    console.log(
      `webhook -> first report: p50 ${fmt(q(firstReport, 0.5))}, p90 ${fmt(q(firstReport, 0.9))}, p99 ${fmt(q(firstReport, 0.99))}, max ${fmt(Math.max(...firstReport))} (includes the settle wait, bounded by the ${PAIR_WAIT_MS} ms pair wait + flush)`,
    );
    const third = Math.ceil(INCIDENTS / 3);
    for (let k = 0; k < 3; k++) {
      const part = firstReport.slice(k * third, (k + 1) * third);
      if (part.length)
        console.log(`  incidents ${k * third + 1}-${k * third + part.length}: p50 ${fmt(q(part, 0.5))}, max ${fmt(Math.max(...part))}`);
    }
    const failed = reports.filter((r) => r.status === 'failed').length;
    console.log(
      `analyses stored: ${analyses} (${analyses - INCIDENTS} re-analyses); failed reports: ${failed}; from /metrics: scheduled re-analyses done ${metric('scheduled', 'faultline_analyses_total')}, skipped ${metric('scheduled', 'faultline_analyses_skipped_total')}`,
    );
    const before = acks.filter((a) => a.at < stormStart).map((a) => a.ms);
    const during = acks.filter((a) => a.at >= stormStart && a.at <= stormEnd).map((a) => a.ms);
    console.log(
      `ingest ack before the storm: p50 ${q(before, 0.5).toFixed(1)} ms, p99 ${q(before, 0.99).toFixed(1)} ms (${before.length} exports); during: p50 ${q(during, 0.5).toFixed(1)} ms, p99 ${q(during, 0.99).toFixed(1)} ms (${during.length} exports, ${acks.filter((a) => !a.ok).length} refused)`,
    );
    console.log(`faultline RSS at the end: ${(rssBytes / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await fl.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
