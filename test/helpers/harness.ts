/** Starts a real faultline (chDB store, gRPC, HTTP, API) in-process on free loopback ports. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultline, type Faultline } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { clickhouseUrlFor } from './test-store.js';

export interface Harness {
  app: Faultline;
  dataDir: string;
  api: string;
  otlpHttp: string;
  otlpGrpc: string;
  restart(extraEnv?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(
  env: Record<string, string> = {},
  dataDir = mkdtempSync(join(tmpdir(), 'faultline-test-')),
): Promise<Harness> {
  const clickhouseUrl = await clickhouseUrlFor(dataDir);
  const boot = async (extra: Record<string, string>) =>
    startFaultline(
      loadConfig({
        FAULTLINE_DATA_DIR: dataDir,
        ...(clickhouseUrl ? { FAULTLINE_CLICKHOUSE_URL: clickhouseUrl } : {}),
        FAULTLINE_OTLP_GRPC_ADDR: '127.0.0.1:0',
        FAULTLINE_OTLP_HTTP_ADDR: '127.0.0.1:0',
        FAULTLINE_API_ADDR: '127.0.0.1:0',
        FAULTLINE_PAIR_WAIT_MS: '5000',
        ...env,
        ...extra,
      }),
      silentLogger,
    );
  const h: Harness = {
    app: await boot({}),
    dataDir,
    get api() {
      return `http://127.0.0.1:${h.app.ports.api}`;
    },
    get otlpHttp() {
      return `http://127.0.0.1:${h.app.ports.http}`;
    },
    get otlpGrpc() {
      return `http://127.0.0.1:${h.app.ports.grpc}`;
    },
    async restart(extra = {}) {
      await h.app.close();
      h.app = await boot(extra);
    },
    async stop() {
      await h.app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}
