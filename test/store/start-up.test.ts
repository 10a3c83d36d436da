/**
 * A start-up that goes wrong says why (issue 27), with the real `faultline serve` process: a data directory another
 * process holds names that process in faultline's one line, and a part damaged on disk while faultline was down is
 * logged at error level and counted on /metrics after the restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/free-port.js';
import { runServe } from '../helpers/serve-process.js';
import { sendSpans } from '../helpers/load-spans.js';
import { simulate } from '../sim/simulate.js';
import { ciPipeline } from '../sim/topology.js';

const serve = runServe;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The part directories of the raw-span table (its columns.txt lists ParentSpanId), under an Atomic database's store/. */
function spanParts(dataDir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (!statSync(p).isDirectory()) continue;
      if (name === 'detached' || name === 'staged-inserts') continue;
      try {
        if (readFileSync(join(p, 'columns.txt'), 'utf8').includes('`ParentSpanId`')) out.push(p);
        continue;
      } catch {
        // not a part
      }
      if (depth < 4) walk(p, depth + 1);
    }
  };
  walk(join(dataDir, 'store'), 0);
  return out;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-startup-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('start-up', () => {
  it('a data directory held by another process: the one line names that process', async () => {
    const data = join(dir, 'held');
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { createChdbConnection } from 'chdb/connection'; createChdbConnection({ path: ${JSON.stringify(data)} }); console.log('open'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    try {
      await until(
        'the holder to open the directory',
        async () => new Promise<true | undefined>((r) => holder.stdout!.once('data', () => r(true))),
      );
      const p = serve({
        FAULTLINE_DATA_DIR: data,
        FAULTLINE_API_ADDR: '127.0.0.1:0',
        FAULTLINE_OTLP_GRPC_ADDR: '127.0.0.1:0',
        FAULTLINE_OTLP_HTTP_ADDR: '127.0.0.1:0',
      });
      expect(await p.exited).toBe(1);
      const line = p
        .output()
        .split('\n')
        .find((l) => l.startsWith('faultline: '));
      expect(line).toContain(`another faultline (or chDB) process (PID ${holder.pid}) has the data directory open`);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('a part damaged while faultline was down is logged at error level and counted on /metrics', async () => {
    const data = join(dir, 'damaged');
    const ports = { api: await freePort(), http: await freePort() };
    const env = {
      FAULTLINE_DATA_DIR: data,
      FAULTLINE_API_ADDR: `127.0.0.1:${ports.api}`,
      FAULTLINE_OTLP_GRPC_ADDR: '127.0.0.1:0',
      FAULTLINE_OTLP_HTTP_ADDR: `127.0.0.1:${ports.http}`,
    };
    const first = serve(env);
    await until('faultline ready', async () => ((await fetch(`http://127.0.0.1:${ports.api}/readyz`)).ok ? true : undefined));
    await sendSpans(
      `http://127.0.0.1:${ports.http}`,
      simulate(ciPipeline, { seed: 3, startMs: Date.now() - 600_000, durationMs: 300_000, requests: 300 }).spans,
    );
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const parts = spanParts(data);
    expect(parts.length).toBeGreaterThan(0);
    const file = readdirSync(parts[0]!).find((f) => f.endsWith('.bin'))!;
    truncateSync(join(parts[0]!, file), 10);

    const second = serve(env);
    second.child.on('exit', () => undefined);
    try {
      await until('faultline ready again', async () => ((await fetch(`http://127.0.0.1:${ports.api}/readyz`)).ok ? true : undefined));
      expect(second.output()).toMatch(
        /"level":"error".*table otel_traces: \d+ part\(s\) detached \(reason broken[^)]*\).*data directory needs attention/,
      );
      const metrics = await (await fetch(`http://127.0.0.1:${ports.api}/metrics`)).text();
      expect(metrics).toMatch(/faultline_store_detached_parts\{table="otel_traces",reason="broken[^"]*"\} [1-9]/);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
