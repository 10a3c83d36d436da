/** A short run of the fuzzer (`npm run fuzz` runs a million): no crash, no hang, nothing but input errors. */
import { describe, expect, it } from 'vitest';
import { fuzz } from './fuzz-targets.js';

describe('fuzzing the decoders and the webhook parser', () => {
  it('20k mutated inputs: every one accepted or refused as input', () => {
    const { inputs, findings } = fuzz(20_000, Number(process.env.FUZZ_SEED ?? 1));
    expect(inputs).toBe(20_000);
    expect(findings).toEqual([]);
  }, 120_000);
});
