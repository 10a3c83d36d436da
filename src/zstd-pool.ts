/**
 * zstd decompression off the main thread. fzstd is pure JS (Node 20's zlib has no zstd), so a 2 KB bomb that expands
 * to the 16 MB limit costs ~100-200 ms of CPU; on the event loop that time is taken from every other request, even
 * when sliced. Here a worker thread does it (gzip's inflate runs on libuv's pool the same way), one body at a
 * time, the rest wait their turn; the worker stops at the limit. The worker's code is a string so the same module
 * works from the TypeScript sources (tests) and from dist/.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKERS = 1;

const FZSTD = createRequire(import.meta.url).resolve('fzstd');
const WORKER_CODE = `
const { parentPort } = require('node:worker_threads');
const { Decompress } = require(${JSON.stringify(FZSTD)});
parentPort.on('message', ({ raw, maxBytes }) => {
  const parts = [];
  let size = 0;
  try {
    const stream = new Decompress((chunk) => {
      size += chunk.length;
      if (size > maxBytes) throw Object.assign(new Error('too large'), { tooLarge: true });
      parts.push(chunk);
    });
    stream.push(raw, true);
    const out = new Uint8Array(size);
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    parentPort.postMessage({ ok: true, data: out }, [out.buffer]);
  } catch (err) {
    parentPort.postMessage({ ok: false, tooLarge: err && err.tooLarge === true, message: String(err && err.message || err) });
  }
});`;

export type ZstdResult = { ok: true; data: Buffer } | { ok: false; tooLarge: boolean; message: string };

interface Job {
  raw: Uint8Array;
  maxBytes: number;
  resolve: (r: ZstdResult) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

const slots: Slot[] = [];
const waiting: Job[] = [];

/** Decompresses one zstd body in a worker, stopping once it would exceed `maxBytes`. */
export function unzstdInWorker(raw: Buffer, maxBytes: number): Promise<ZstdResult> {
  return new Promise((resolve, reject) => {
    waiting.push({ raw: new Uint8Array(raw), maxBytes, resolve, reject });
    dispatch();
  });
}

function dispatch(): void {
  while (waiting.length > 0) {
    let slot = slots.find((s) => s.job === undefined);
    if (!slot && slots.length < WORKERS) slot = startSlot();
    if (!slot) return;
    const job = waiting.shift()!;
    slot.job = job;
    slot.worker.postMessage({ raw: job.raw, maxBytes: job.maxBytes });
  }
}

function startSlot(): Slot {
  const worker = new Worker(WORKER_CODE, { eval: true });
  // An idle pool must not keep the process alive (tests, shutdown).
  worker.unref();
  const slot: Slot = { worker, job: undefined };
  worker.on('message', (r: { ok: true; data: Uint8Array } | { ok: false; tooLarge: boolean; message: string }) => {
    const job = slot.job;
    slot.job = undefined;
    if (job) job.resolve(r.ok ? { ok: true, data: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength) } : r);
    dispatch();
  });
  worker.on('error', (err) => {
    // A crashed worker (out of memory, a bug in the decoder) fails its one body; a fresh one takes its place.
    slots.splice(slots.indexOf(slot), 1);
    slot.job?.reject(err instanceof Error ? err : new Error(String(err)));
    dispatch();
  });
  slots.push(slot);
  return slot;
}
