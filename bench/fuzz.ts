/**
 * npm run fuzz — a million mutated OTLP (protobuf, JSON) and webhook bodies through the decoders and the webhook
 * parser (test/fuzz/fuzz-targets.ts). FUZZ_COUNT and FUZZ_SEED tune it. Exits 1 on any crash or hang, printing the
 * input (base64) to reproduce.
 */
import { fuzz } from '../test/fuzz/fuzz-targets.js';

const count = Number(process.env.FUZZ_COUNT ?? 1_000_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const started = performance.now();
const { inputs, findings } = fuzz(count, seed, 2000, (done) =>
  process.stderr.write(`\r${done.toLocaleString('en-US')} inputs, ${((performance.now() - started) / 1000).toFixed(0)} s`),
);
const seconds = (performance.now() - started) / 1000;
console.log(
  `\nfuzz seed ${seed}: ${inputs.toLocaleString('en-US')} inputs in ${seconds.toFixed(1)} s (${Math.round(inputs / seconds).toLocaleString('en-US')}/s), ${findings.length} findings`,
);
for (const f of findings) console.log(`${f.kind} in ${f.target}: ${f.detail}\n  input (base64, first 512 bytes): ${f.input}`);
process.exit(findings.length > 0 ? 1 : 0);
