/**
 * The SLO file in a running `faultline serve` (issue 22): an invalid file stops the start with one line naming the
 * file, the SLO and the field; SIGHUP re-reads it; an invalid new version keeps the SLOs in effect and says why.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { runServe } from '../helpers/serve-process.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-slo-reload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const slo = (name: string, objective: number | string) =>
  `  - name: ${name}\n    service: builder\n    objective: ${objective}\n    sli: { type: availability }\n`;

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the SLO file of a running faultline', () => {
  it('an invalid file stops the start with one line', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, `slos:\n${slo('builder-availability', '"high"')}`);
    const p = runServe({ FAULTLINE_DATA_DIR: join(dir, 'bad'), FAULTLINE_SLO_FILE: file, FAULTLINE_API_ADDR: '127.0.0.1:0' });
    expect(await p.exited).toBe(2);
    expect(p.stderr().trim().split('\n')).toEqual([
      `faultline: invalid SLO file: ${file}: slos[0] (builder-availability): objective must be a percentage above 0 and below 100 (e.g. 99.9)`,
    ]);
  }, 60_000);

  it('SIGHUP re-reads the file; an invalid version keeps the old one and says why', async () => {
    const file = join(dir, 'slos.yaml');
    writeFileSync(file, `slos:\n${slo('first', 99)}`);
    const api = await freePort();
    const p = runServe({
      FAULTLINE_DATA_DIR: join(dir, 'data'),
      FAULTLINE_SLO_FILE: file,
      FAULTLINE_API_ADDR: `127.0.0.1:${api}`,
      FAULTLINE_OTLP_GRPC_ADDR: '127.0.0.1:0',
      FAULTLINE_OTLP_HTTP_ADDR: '127.0.0.1:0',
      FAULTLINE_SLO_EVALUATE_INTERVAL: '1h',
    });
    try {
      const names = async () => {
        const body = (await (await fetch(`http://127.0.0.1:${api}/api/v1/slos`)).json()) as {
          slos: { name: string }[];
          fileError?: string;
        };
        return { names: body.slos.map((s) => s.name), fileError: body.fileError };
      };
      expect((await waitFor('the API', names)).names).toEqual(['first']);
      writeFileSync(file, `slos:\n${slo('first', 99)}${slo('second', 99.9)}`);
      p.child.kill('SIGHUP');
      await waitFor('the new SLO', async () => ((await names()).names.length === 2 ? true : undefined));
      writeFileSync(file, `slos:\n${slo('third', 100)}`);
      p.child.kill('SIGHUP');
      const kept = await waitFor('the refusal', async () => ((await names()).fileError ? names() : undefined));
      expect(kept.names).toEqual(['first', 'second']);
      expect(kept.fileError).toContain('slos[0] (third): objective must be');
      expect(p.output()).toContain('SLO file not reloaded: keeping the SLOs in effect');
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  }, 90_000);
});
