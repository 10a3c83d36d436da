/** Starts the e2e test's processes with their logs in one temp dir, and stops them all, pass or fail. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Proc {
  name: string;
  child: ChildProcess;
  logFile: string;
}

export class ProcessGroup {
  private readonly procs: Proc[] = [];

  constructor(readonly logDir: string) {}

  start(name: string, command: string, args: string[], env: Record<string, string> = {}): Proc {
    const logFile = join(this.logDir, `${name}.log`);
    const log = createWriteStream(logFile);
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const p = { name, child, logFile };
    this.procs.push(p);
    return p;
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      this.procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
            const timer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
            p.child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            p.child.kill('SIGTERM');
          }),
      ),
    );
  }

  /** Every process's log, for a failure message. */
  logs(tailLines = 40): string {
    return this.procs
      .map((p) => {
        let text = '';
        try {
          text = readFileSync(p.logFile, 'utf8');
        } catch {
          text = '(no log)';
        }
        return `----- ${p.name} (${p.logFile}) -----\n${text.split('\n').slice(-tailLines).join('\n')}`;
      })
      .join('\n');
  }
}

/** Polls `probe` until it returns a value, or throws after `timeoutMs` naming what was awaited. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
}

export { freePort } from '../helpers/free-port.js';
