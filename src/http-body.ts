/**
 * Reads a request body with a size limit, decompressing gzip, deflate or zstd when asked; shared by the OTLP/HTTP
 * receiver and the API.
 */
import type { IncomingMessage } from 'node:http';
import { Decompress as ZstdDecompress } from 'fzstd';
import { gunzip, inflate } from 'node:zlib';
import { promisify } from 'node:util';
import { ClientGoneError, InputError, PayloadTooLargeError } from './errors.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw new PayloadTooLargeError(`request body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        req.resume();
        throw new PayloadTooLargeError(`request body exceeds the limit of ${maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (err as Error).message === 'aborted')
      throw new ClientGoneError('the client closed the connection before sending its whole body', { cause: err });
    throw err;
  }
  const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (encoding === 'identity' || encoding === '') return raw;
  try {
    // maxOutputLength keeps a small gzip bomb from expanding past the same limit.
    if (encoding === 'gzip') return await gunzipAsync(raw, { maxOutputLength: maxBytes });
    if (encoding === 'deflate') return await inflateAsync(raw, { maxOutputLength: maxBytes });
    if (encoding === 'zstd') return await unzstd(raw, maxBytes);
  } catch (err) {
    if (err instanceof PayloadTooLargeError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadTooLargeError(`decompressed body exceeds the limit of ${maxBytes} bytes`);
    }
    throw new InputError(`body is not valid ${encoding}: ${(err as Error).message}`);
  }
  throw new InputError(`unsupported Content-Encoding ${JSON.stringify(encoding)} (use gzip, deflate, zstd or identity)`);
}

/**
 * zstd (the Collector's otlphttp exporter offers it; Node 20's zlib has none): fzstd, pure JS. Three bounds keep a
 * small bomb from costing the other requests (a 2 KB body can expand to the 16 MB limit, ~200 ms of decoding):
 * a frame that declares a content size over the limit is refused before any work; the input is fed in small
 * slices and the event loop gets a turn every few milliseconds (a slice can complete only a few 128 KB blocks);
 * and at most two bodies are decompressed at once, the others wait their turn.
 */
const ZSTD_SLICE_BYTES = 64;
const ZSTD_SLICE_MS = 4;
const zstdSlots = { free: 2, waiting: [] as (() => void)[] };

async function unzstd(raw: Buffer, maxBytes: number): Promise<Buffer> {
  const declared = zstdDeclaredSize(raw);
  if (declared !== undefined && declared > maxBytes)
    throw new PayloadTooLargeError(`zstd frame declares ${declared} bytes, over the limit of ${maxBytes} bytes`);
  if (zstdSlots.free === 0) await new Promise<void>((resolve) => zstdSlots.waiting.push(resolve));
  else zstdSlots.free--;
  try {
    const parts: Uint8Array[] = [];
    let size = 0;
    const stream = new ZstdDecompress((chunk) => {
      size += chunk.length;
      if (size > maxBytes) throw new PayloadTooLargeError(`decompressed body exceeds the limit of ${maxBytes} bytes`);
      parts.push(chunk);
    });
    let sliceStart = performance.now();
    for (let i = 0; i < raw.length; i += ZSTD_SLICE_BYTES) {
      stream.push(raw.subarray(i, i + ZSTD_SLICE_BYTES), i + ZSTD_SLICE_BYTES >= raw.length);
      if (performance.now() - sliceStart > ZSTD_SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    if (raw.length === 0) stream.push(raw, true);
    return Buffer.concat(parts, size);
  } finally {
    const next = zstdSlots.waiting.shift();
    if (next) next();
    else zstdSlots.free++;
  }
}

/** The Frame_Content_Size a zstd frame header declares (RFC 8878, 3.1.1.1), or undefined when it declares none. */
export function zstdDeclaredSize(raw: Buffer): number | undefined {
  if (raw.length < 6 || raw.readUInt32LE(0) !== 0xfd2fb528) return undefined;
  const descriptor = raw[4]!;
  const fcsFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictIdBytes = [0, 1, 2, 4][descriptor & 3]!;
  const fcsBytes = fcsFlag === 0 ? singleSegment : [0, 2, 4, 8][fcsFlag]!;
  if (fcsBytes === 0) return undefined;
  const at = 5 + (singleSegment ? 0 : 1) + dictIdBytes;
  if (raw.length < at + fcsBytes) return undefined;
  if (fcsBytes === 1) return raw[at]!;
  if (fcsBytes === 2) return raw.readUInt16LE(at) + 256;
  if (fcsBytes === 4) return raw.readUInt32LE(at);
  return Number(raw.readBigUInt64LE(at));
}
