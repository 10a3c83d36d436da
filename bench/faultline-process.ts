/** faultline as its own process on a fresh embedded store, for benches that measure it from outside (CPU, RSS). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/helpers/free-port.js';

export interface FaultlineProcess {
  pid: number;
  grpcPort: number;
  httpPort: number;
  apiPort: number;
  dataDir: string;
  /** SIGTERM, wait for the exit, remove the data dir. */
  stop(): Promise<void>;
}

/** `env` adds or overrides settings (say, FAULTLINE_PAIR_WAIT_MS). */
export async function startFaultlineProcess(name: string, env: Record<string, string> = {}): Promise<FaultlineProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), `faultline-${name}-`));
  const [grpcPort, httpPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  // BENCH_NODE_ARGS (say, "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles faultline under the bench's load.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // FAULTLINE_MAIN runs another build (an older commit's dist/src/main.js, for before/after figures).
  const main = process.env.FAULTLINE_MAIN ?? join(import.meta.dirname, '..', 'src', 'main.js');
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, main, 'serve'], {
    env: {
      ...process.env,
      FAULTLINE_DATA_DIR: dataDir,
      FAULTLINE_OTLP_GRPC_ADDR: `127.0.0.1:${grpcPort}`,
      FAULTLINE_OTLP_HTTP_ADDR: `127.0.0.1:${httpPort}`,
      FAULTLINE_API_ADDR: `127.0.0.1:${apiPort}`,
      FAULTLINE_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`http://127.0.0.1:${apiPort}/readyz`)
      .then((r) => r.ok)
      .catch(() => false))
  ) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error('faultline did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { pid: child.pid!, grpcPort, httpPort, apiPort, dataDir, stop };
}

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat on Linux. */
const TICKS_PER_SECOND = 100;

/** Resident memory and CPU seconds used so far, from /proc. */
export function procStats(pid: number): { rssBytes: number; cpuSeconds: number } {
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rssBytes: rssKb * 1024, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
}
