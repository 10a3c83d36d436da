/**
 * FAULTLINE_STORE_MERGE_NICE: the embedded engine starts with its merges at that nice value and, where the process
 * holds CAP_SYS_NICE, runs its merge steps at it (src/store/merge-priority.ts). A ClickHouse server keeps its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maySetNice, mergeNiceArgs } from '../../src/store/merge-priority.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { encodeProto } from '../sim/otlp-encode.js';
import { simulate } from '../sim/simulate.js';
import { shop } from '../sim/topology.js';

/** Nice values of this process's threads the engine named for its merges (its MergeMutate pool). */
function mergeThreadNices(): number[] {
  const out: number[] = [];
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      if (readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() !== 'MergeMutate') continue;
      out.push(Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

describe('merge priority', () => {
  it('reads CAP_SYS_NICE (bit 23) from the effective capability set', () => {
    expect(maySetNice('Name:\tnode\nCapEff:\t000001ffffffffff\n')).toBe(true); // root
    expect(maySetNice('CapEff:\t0000000000800000\n')).toBe(true);
    expect(maySetNice('CapEff:\t00000000a80425fb\n')).toBe(false); // Docker's default capabilities
    expect(maySetNice('CapEff:\t0000000000000000\n')).toBe(false);
    expect(maySetNice('Name:\tnode\n')).toBe(false);
  });

  it('passes the engine no argument for 0, its default', () => {
    expect(mergeNiceArgs(0)).toEqual([]);
    expect(mergeNiceArgs(7)).toEqual(['--os_threads_nice_value_merge_mutate=7']);
  });

  describe('a store opened with FAULTLINE_STORE_MERGE_NICE=7', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ FAULTLINE_STORE_MERGE_NICE: '7' });
    });
    afterAll(() => h.stop());

    it('starts the embedded engine with it, and its merges run at it where the process may set it', async () => {
      const [row] = await h.app.store.query('engine_merge_nice');
      if (h.app.store.kind !== 'chdb') {
        // A server's merges are the server's to configure: faultline does not touch them.
        expect(row?.nice).toBe(0);
        return;
      }
      expect(row?.nice).toBe(7);
      // Exports in small requests make many small parts, which the engine merges in the background; a merge step's
      // thread carries the value only while it runs, so the threads are sampled meanwhile.
      const spans = simulate(shop, { seed: 4, startMs: Date.now() - 10 * 60_000, durationMs: 5 * 60_000, requests: 3000 }).spans;
      const seen = new Set<number>();
      for (let i = 0; i + 1000 <= spans.length && !seen.has(7); i += 1000) {
        const res = await fetch(`${h.otlpHttp}/v1/traces`, {
          method: 'POST',
          body: encodeProto(spans.slice(i, i + 1000)),
          headers: { 'content-type': 'application/x-protobuf' },
        });
        expect(res.status).toBe(200);
        for (let k = 0; k < 20; k++) {
          for (const n of mergeThreadNices()) seen.add(n);
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      // Without CAP_SYS_NICE the engine ignores the value (and faultline says so at start): no merge thread is reniced.
      expect(seen.has(7)).toBe(maySetNice());
    });
  });
});
