/**
 * Pairing client and server spans into calls (the service graph's edges) and self times: the entry point. The other
 * files of this folder are its internals (typed-array tables, key encoding, pooled links); lint keeps them private.
 */
export { SpanPairer, type SpanPairerOptions } from './span-pairer.js';
export { digestSpans, type SpanDigest } from './span-digest.js';
