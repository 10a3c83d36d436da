/**
 * Why the faultline process turns V8's allocation-site pretenuring off (src/v8-flags.ts), in a child process with
 * V8's test natives: a burst in which the containers built per export outlive a young collection makes V8 allocate
 * every later one straight into the old generation, long after the burst. With faultline's flags they stay young.
 * The child imports the built module (dist/, which `npm test` builds first).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const MODULE = pathToFileURL(join(import.meta.dirname, '..', 'dist', 'src', 'v8-flags.js')).href;

// An export's decode in miniature: an array that collects objects, returned in a result object. A ring keeps the
// last 20k results alive (the burst: exports waiting for their commit), then 100 more are made and dropped at once.
// V8's decision is a heuristic over what survived each young collection: about one burst in ten does not tenure
// the sites, so up to three bursts are made and the most containers born old after any of them is reported.
const SCENARIO = `
if (process.env.APPLY_FAULTLINE_FLAGS === '1') (await import(${JSON.stringify(MODULE)})).applyV8Flags();
function fill(out, n) { for (let i = 0; i < n; i++) out.push({ i, name: 'span' }); }
function decode(n) { const out = []; fill(out, n); return { out, rejected: 0, message: '' }; }
let most = 0;
for (let burst = 0; burst < 3 && most < 100; burst++) {
  const ring = new Array(20000);
  for (let k = 0; k < 300000; k++) ring[k % ring.length] = decode(20);
  let bornOld = 0;
  for (let k = 0; k < 100; k++) { const d = decode(20); if (!%InYoungGeneration(d.out) || !%InYoungGeneration(d)) bornOld++; }
  most = Math.max(most, bornOld);
}
process.stdout.write(String(most));
`;

function bornOldAfterBurst(applyFlags: boolean): number {
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', SCENARIO], {
    env: { ...process.env, APPLY_FAULTLINE_FLAGS: applyFlags ? '1' : '0' },
    encoding: 'utf8',
  });
  return Number(out);
}

describe('V8 flags of the faultline process', () => {
  it('without them, containers made after a burst are born in the old generation (the reason for the flag)', () => {
    expect(bornOldAfterBurst(false)).toBe(100);
  });

  it('with them, the same containers are born young', () => {
    expect(bornOldAfterBurst(true)).toBe(0);
  });
});
