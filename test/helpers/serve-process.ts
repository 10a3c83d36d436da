/** `faultline serve` (the built dist/src/main.js) as a child process with its output collected, for process tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(import.meta.dirname, '../../dist/src/main.js');

export interface ServeProcess {
  child: ChildProcess;
  stderr: () => string;
  /** stdout and stderr, interleaved as they came (the JSON log is on stdout). */
  output: () => string;
  exited: Promise<number | null>;
}

export function runServe(env: Record<string, string>): ServeProcess {
  const child = spawn(process.execPath, [MAIN, 'serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    out += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, stderr: () => err, output: () => out, exited };
}
