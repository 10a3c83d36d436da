/**
 * Wires the data flow: OTLP receivers -> batch writer (store) -> graph pairer -> derived rows; API on top.
 * main.ts runs it as a process; tests start it in-process on free ports.
 */
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { createSelfMetrics, type SelfMetrics } from './self-metrics.js';
import { startGrpcReceiver, type GrpcReceiver } from './otlp/grpc-receiver.js';
import { startHttpReceiver, type HttpReceiver } from './otlp/http-receiver.js';
import { openStore, type Store } from './store/clickhouse-store.js';
import { runMigrations } from './store/migrations.js';
import { SpanBatchWriter } from './store/span-batch-writer.js';
import { startApiServer, type ApiServer } from './api/api-server.js';
import { buildRoutes } from './api/routes.js';

export interface Faultline {
  store: Store;
  metrics: SelfMetrics;
  ports: { grpc: number; http: number; api: number };
  /** Stops accepting, flushes what was accepted, closes the store. */
  close(): Promise<void>;
}

export async function startFaultline(config: Config, log: Logger): Promise<Faultline> {
  const metrics = createSelfMetrics();
  let ready = false;
  const store = await openStore({ dataDir: config.dataDir, clickhouseUrl: config.clickhouseUrl });
  const started: { close(): Promise<void> }[] = [];
  try {
    const migrated = await runMigrations(store, { cluster: config.clickhouseCluster, retentionDays: config.retentionDays }, log);
    const writer = new SpanBatchWriter(store, config.ingest, metrics, log);
    const sink = { accept: (spans: Parameters<SpanBatchWriter['accept']>[0]) => writer.accept(spans) };

    const api: ApiServer = await startApiServer({
      address: config.apiAddr,
      token: config.apiToken,
      router: buildRoutes({ store, config }),
      registry: metrics.registry,
      isReady: () => ready,
      log,
    });
    started.push(api);
    const grpc: GrpcReceiver = await startGrpcReceiver({ address: config.otlpGrpcAddr, maxMessageBytes: config.ingest.maxMessageBytes, sink, metrics, log });
    started.push(grpc);
    const http: HttpReceiver = await startHttpReceiver({ address: config.otlpHttpAddr, maxMessageBytes: config.ingest.maxMessageBytes, sink, metrics, log });
    started.push(http);
    ready = true;
    log.info('faultline started', {
      store: store.kind,
      storeLocation: store.location,
      dataDir: store.kind === 'chdb' ? store.location : undefined,
      schemaVersion: migrated.current,
      otlpGrpc: `${config.otlpGrpcAddr.host}:${grpc.port}`,
      otlpHttp: `${config.otlpHttpAddr.host}:${http.port}`,
      api: `${config.apiAddr.host}:${api.port}`,
      apiAuth: config.apiToken ? 'bearer token' : 'none',
    });
    return {
      store,
      metrics,
      ports: { grpc: grpc.port, http: http.port, api: api.port },
      async close() {
        ready = false;
        // Receivers first (in-flight exports finish once committed), then the writer drains, then the store.
        await Promise.all([grpc.close(), http.close(), writer.close()]);
        await writer.close();
        await api.close();
        await store.close();
      },
    };
  } catch (err) {
    for (const s of started.reverse()) await s.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw err;
  }
}
