/**
 * The embedded engine's merges at a lower CPU priority than the rest of the process (FAULTLINE_STORE_MERGE_NICE, off
 * by default). At 100k spans/s on two cores, merges take ~0.7 cores in bursts (one of ~400 MB of parts takes a core
 * for ~20 s); at the same priority they delay the event loop and the inserts an export's acknowledgement waits for. A
 * positive nice value lets them yield and catch up between bursts: steadier acks under steady load near capacity, but
 * under overload the deferred merges come due while exports queue, and the ack tail grows (docs/scaling.md, session 19).
 *
 * The engine sets the value on a merge thread for the length of each merge step (`os_threads_nice_value_merge_mutate`,
 * a server setting: given at start-up, with the first connection to the data directory). It does so only when the
 * process holds CAP_SYS_NICE (root does; a container needs `cap_add: [SYS_NICE]`), and silently ignores it otherwise.
 */
import { readFileSync } from 'node:fs';

/** Command-line arguments that start the engine with its merges at `nice` (none for 0, the engine's default). */
export function mergeNiceArgs(nice: number): string[] {
  return nice === 0 ? [] : [`--os_threads_nice_value_merge_mutate=${nice}`];
}

const CAP_SYS_NICE = 23n;

/**
 * Whether this process may set a thread's nice value, from the effective capability set in /proc/self/status (the
 * text is a parameter for tests). False where that file does not exist (not Linux): the engine sets no nice there.
 */
export function maySetNice(status?: string): boolean {
  let text = status;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/status', 'utf8');
    } catch {
      return false;
    }
  }
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(text)?.[1];
  return hex !== undefined && ((BigInt(`0x${hex}`) >> CAP_SYS_NICE) & 1n) === 1n;
}
