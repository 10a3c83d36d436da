/**
 * V8 flags the faultline process sets on itself at start, before the first export is decoded.
 *
 * `--no-allocation-site-pretenuring`: V8 allocates the objects of a code site (an array or object literal) straight
 * into the old generation once those it saw had survived a young collection, and it never re-examines a site so
 * tenured. A burst at start-up is enough for the array that collects an export's decoded spans: from then on every
 * such array was born old, the old generation pointed at each young span, and every span of every export survived
 * two young collections and was copied twice before a full collection freed it. Measured at 100k spans/s
 * (docs/scaling.md): 2.5 MB promoted per young collection and 5.6 s of their pauses in 41 s, against 0.5 MB and
 * 1.8 s in 45 s with the flag.
 */
import { setFlagsFromString } from 'node:v8';

const V8_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring'];

export function applyV8Flags(): void {
  for (const flag of V8_FLAGS) setFlagsFromString(flag);
}
