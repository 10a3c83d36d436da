/**
 * Wires the data flow: OTLP receivers -> batch writer (store) -> graph pairer -> derived rows; API on top.
 * main.ts runs it as a process; tests start it in-process on free ports.
 */
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { Gauge } from 'prom-client';
import { SELF_METRICS } from './metric-catalog.js';
import { createSelfMetrics, gaugeOf, type SelfMetrics } from './self-metrics.js';
import { faultlineVersion } from './build-info.js';
import { startIngestSummary } from './ingest-summary.js';
import { metricsFlavor } from './graph/metrics-flavor.js';
import { formatLinks } from './api/incident-formats.js';
import { IncidentNotifier } from './notify/incident-notifier.js';
import { AdmissionLimit } from './otlp/admission-limit.js';
import { startGrpcReceiver, type GrpcReceiver } from './otlp/grpc-receiver.js';
import { startHttpReceiver, type HttpReceiver } from './otlp/http-receiver.js';
import { openStore, type Store } from './store/clickhouse-store.js';
import { runMigrations } from './store/migrations.js';
import { maySetNice } from './store/merge-priority.js';
import { reportDetachedParts } from './store/detached-parts.js';
import { applyRetention } from './store/retention.js';
import { SpanBatchWriter } from './store/span-batch-writer.js';
import { DerivedRowWriter } from './store/derived-row-writer.js';
import { GraphMetrics } from './graph/graph-metrics.js';
import { SpanPairer } from './graph/pairing/index.js';
import { digestSpans, type SpanDigest } from './graph/pairing/index.js';
import { startApiServer, type ApiServer } from './api/api-server.js';
import { buildRoutes } from './api/routes.js';
import { IncidentService } from './rca/incident-service.js';
import { DEFAULT_REANALYSIS } from './rca/reanalysis-schedule.js';
import { createSettlement } from './pipeline-settlement.js';
import { SloRegistry } from './slo/slo-registry.js';
import { DEFAULT_ACTION_OPTIONS, GuardedActions } from './actions/guarded-actions.js';
import { SloMonitor } from './slo/slo-monitor.js';
import { IncidentSlos } from './slo/incident-slo.js';

export interface Faultline {
  store: Store;
  incidents: IncidentService;
  metrics: SelfMetrics;
  ports: { grpc: number; http: number; api: number };
  /** Recomputes the SLO metrics now, or as of `nowMs` (tests). */
  evaluateSlos(nowMs?: number): Promise<void>;
  /** Settles every span waiting for pairing and writes the derived rows now (tests, benches). */
  settleGraph(): Promise<void>;
  /** Stops accepting, flushes what was accepted, closes the store. */
  close(): Promise<void>;
}

export async function startFaultline(config: Config, log: Logger): Promise<Faultline> {
  const metrics = createSelfMetrics(undefined, { version: faultlineVersion() });
  let ready = false;
  // Before the store: an invalid SLO file stops the start with one line naming the file, the SLO and the field.
  const slos = await SloRegistry.open(config.slo.file, log.child('slo'));
  const store = await openStore({
    dataDir: config.dataDir,
    clickhouseUrl: config.clickhouseUrl,
    maxMemoryBytes: config.storeMaxMemoryBytes,
    tracesTable: config.tracesTable,
    mergeNice: config.storeMergeNice,
  });
  const started: { close(): Promise<void> }[] = [];
  try {
    const ddl = { cluster: config.clickhouseCluster, retentionDays: config.retentionDays };
    const storeLog = log.child('store');
    // Info, not a warning: an unprivileged container (the Docker image runs as `node`) cannot grant it, and nothing is
    // wrong; the merges just compete with ingest at the same priority.
    if (store.kind === 'chdb' && config.storeMergeNice !== 0 && !maySetNice())
      storeLog.info('merges run at normal priority: FAULTLINE_STORE_MERGE_NICE takes effect only with CAP_SYS_NICE', {
        mergeNice: config.storeMergeNice,
      });
    const migrated = await runMigrations(store, ddl, storeLog);
    await applyRetention(store, ddl, storeLog);
    gaugeOf(metrics.registry, SELF_METRICS.activeParts, async function (this: Gauge) {
      // A scrape during a store outage shows the last values rather than failing /metrics.
      const rows = await store.query('active_parts').catch(() => undefined);
      if (!rows) return;
      this.reset();
      for (const r of rows) this.set({ table: r.table }, Number(r.parts));
    } as (this: Gauge) => void);
    const detachedGauge = gaugeOf(metrics.registry, SELF_METRICS.detachedParts);
    for (const d of await reportDetachedParts(store, storeLog))
      detachedGauge.set({ table: d.table, reason: d.reason || 'by hand' }, d.parts);
    const graphMetrics = new GraphMetrics(
      metrics.registry,
      config.graph.metricsMaxSeries,
      metricsFlavor(config.graph.metricsFlavor, config.graph.latencyBucketsMs),
    );
    const derived = new DerivedRowWriter(store, config.graph.derived, metrics.registry, log.child('graph'));
    const pairer = new SpanPairer(
      { waitMs: config.graph.pairWaitMs, maxPending: config.graph.pairMaxPending },
      {
        onEdge: (call) => {
          graphMetrics.observeEdge(call);
          derived.addEdge(call);
        },
        onSpanTiming: (row) => derived.addSpanTiming(row),
        onUnpaired: (side, service, call) => graphMetrics.observeUnpaired(side, service, call),
        onEvicted: (n) => graphMetrics.observeEvicted(n),
      },
    );
    gaugeOf(metrics.registry, SELF_METRICS.graphPendingSpans, function (this: Gauge) {
      this.set(pairer.pendingCount);
    });
    // Graph and span metrics see only committed spans, so they never count what an exporter will resend.
    const writer = new SpanBatchWriter<SpanDigest>(
      store,
      {
        ...config.ingest,
        digest: digestSpans,
        onCommitted: (digests) => {
          for (const d of digests) {
            graphMetrics.observeSpans(d);
            pairer.addDigest(d);
          }
        },
      },
      metrics,
      log.child('store'),
    );
    // Settle often enough that a span waits at most ~25% longer than its pair wait.
    const settleIntervalMs = Math.min(1000, Math.max(50, config.graph.pairWaitMs / 4));
    pairer.start(settleIntervalMs);
    derived.start();

    const awaitSettled = createSettlement(
      {
        oldestUncommittedAt: () => writer.oldestUncommittedAt(),
        oldestPendingArrival: () => pairer.oldestPendingArrival(),
        flushDerived: () => derived.flush(),
      },
      { maxWaitMs: config.graph.pairWaitMs + 2 * settleIntervalMs + 5000 },
    );
    const notifier = new IncidentNotifier(
      { webhookUrls: config.notify.webhookUrls, slackUrls: config.notify.slackUrls, links: formatLinks(config) },
      metrics.registry,
      log.child('notify'),
    );
    const actions = new GuardedActions(
      store,
      () => slos.actions,
      { ...DEFAULT_ACTION_OPTIONS, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) },
      metrics.registry,
      log.child('actions'),
    );
    const incidents = new IncidentService(
      store,
      {
        lookbackMs: config.rca.lookbackMs,
        baselineMs: config.rca.baselineMs,
        concurrency: config.rca.concurrency,
        reanalysisShare: config.rca.reanalysisShare,
        analysis: config.rca.analysis,
        reanalysis: DEFAULT_REANALYSIS,
        awaitSettled,
        onReport: (report) => {
          notifier.noteReport(report);
          actions.noteReport(report);
        },
        ...(config.slo.file ? { slos: new IncidentSlos(store, slos) } : {}),
      },
      metrics,
      log.child('rca'),
    );
    const api: ApiServer = await startApiServer({
      address: config.apiAddr,
      token: config.apiToken,
      webhookToken: config.webhookToken,
      tls: config.tls,
      router: buildRoutes({ store, config, incidents, slos, actions }),
      registry: metrics.registry,
      isReady: () => ready,
      log: log.child('api'),
      metrics,
    });
    started.push(api);
    const timePolicy = { maxAgeMs: config.retentionDays * 86_400_000, maxFutureMs: 24 * 3_600_000 };
    // Half the wait bound: admitted calls then answer well within it, and the writer's own bound stays the backstop.
    const admission = config.ingest.queueMaxWaitMs > 0 ? new AdmissionLimit({ targetMs: config.ingest.queueMaxWaitMs / 2 }) : undefined;
    if (admission) {
      gaugeOf(metrics.registry, SELF_METRICS.admissionLimit, function (this: Gauge) {
        this.set(admission.limit);
      });
      gaugeOf(metrics.registry, SELF_METRICS.exportsInFlight, function (this: Gauge) {
        this.set(admission.inFlight);
      });
    }
    const receiving = {
      maxMessageBytes: config.ingest.maxMessageBytes,
      requestTimeoutMs: config.ingest.requestTimeoutMs,
      shutdownGraceMs: config.ingest.shutdownGraceMs,
      sink: writer,
      metrics,
      log: log.child('otlp'),
      token: config.otlpToken,
      tls: config.tls,
      timePolicy,
      admission,
    };
    const grpc: GrpcReceiver = await startGrpcReceiver({
      address: config.otlpGrpcAddr,
      receiveWindowBytes: config.ingest.grpcReceiveWindowBytes,
      ...receiving,
    });
    started.push(grpc);
    const http: HttpReceiver = await startHttpReceiver({ address: config.otlpHttpAddr, ...receiving });
    started.push(http);
    const stopSummary = startIngestSummary(
      metrics,
      () => ({ queuedSpans: writer.depth, pairerSpans: pairer.pendingCount }),
      log.child('otlp'),
    );
    started.push({ close: async () => stopSummary() });
    const sloMonitor = new SloMonitor(store, slos, metrics.registry, log.child('slo'));
    slos.start(config.slo.evaluateIntervalMs);
    sloMonitor.start(config.slo.evaluateIntervalMs);
    started.push({ close: async () => (slos.close(), await sloMonitor.close()) });
    const resumed = await incidents.resumeUnfinished();
    if (resumed > 0) log.info('resuming unfinished incident analyses', { count: resumed });
    ready = true;
    log.info('faultline started', {
      version: faultlineVersion(),
      store: store.kind,
      storeLocation: store.location,
      dataDir: store.kind === 'chdb' ? store.location : undefined,
      schemaVersion: migrated.current,
      otlpGrpc: `${config.otlpGrpcAddr.host}:${grpc.port}`,
      otlpHttp: `${config.otlpHttpAddr.host}:${http.port}`,
      api: `${config.apiAddr.host}:${api.port}`,
      apiAuth: config.apiToken ? 'bearer token' : 'none',
      webhookAuth: config.webhookToken ? 'bearer token' : 'none',
      otlpAuth: config.otlpToken ? 'bearer token' : 'none',
      tls: config.tls ? 'on' : 'off',
    });
    return {
      store,
      incidents,
      metrics,
      ports: { grpc: grpc.port, http: http.port, api: api.port },
      evaluateSlos: (nowMs) => sloMonitor.evaluate(nowMs),
      async settleGraph() {
        writer.flushHooks();
        pairer.settleAll();
        await derived.flush();
      },
      async close() {
        ready = false;
        stopSummary();
        slos.close();
        await sloMonitor.close();
        // Stop accepting (exports still reading their body get a retryable 503/UNAVAILABLE), let in-flight exports
        // finish once committed while the writer drains, then settle the graph and close the store.
        await Promise.all([grpc.close(), http.close(), writer.close()]);
        pairer.close();
        await derived.close();
        await api.close();
        incidents.close();
        await incidents.idle();
        notifier.close();
        actions.close();
        await store.close();
      },
    };
  } catch (err) {
    for (const s of started.reverse()) await s.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw err;
  }
}
