/**
 * Why the embedded engine would not open its data directory, in one line. chDB throws only "Failed to create
 * connection for path ..." and prints the cause (a lock held by another process, garbled metadata, a bad version
 * file) on the native stderr, out of reach of JS. So on that failure, and only then, a child process opens the same
 * directory and its stderr gives the engine's own `DB::Exception` line; a lock also names the holder's PID.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A reason a person can act on, for the data directory `path`. */
export function engineStartCause(path: string): string {
  const probe = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { createChdbConnection } from 'chdb/connection'; createChdbConnection({ path: ${JSON.stringify(path)} });`,
    ],
    { encoding: 'utf8', timeout: 60_000, cwd: process.cwd() },
  );
  const line = /DB::Exception: ([^\n]+)/.exec(probe.stderr ?? '')?.[1]?.trim();
  if (!line) return `the engine gave no reason (probe exit ${probe.status ?? probe.signal})`;
  if (/Cannot lock file .*status/.test(line)) {
    const pid = /PID: (\d+)/.exec(readStatus(path))?.[1];
    return `another faultline (or chDB) process${pid ? ` (PID ${pid})` : ''} has the data directory open: stop it or set another FAULTLINE_DATA_DIR`;
  }
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}

function readStatus(path: string): string {
  try {
    return readFileSync(join(path, 'status'), 'utf8');
  } catch {
    return '';
  }
}
