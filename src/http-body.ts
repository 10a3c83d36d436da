/**
 * Reads a request body with a size limit, decompressing gzip, deflate or zstd when asked; shared by the OTLP/HTTP
 * receiver and the API.
 */
import type { IncomingMessage } from 'node:http';
import { gunzip, inflate } from 'node:zlib';
import { promisify } from 'node:util';
import { ClientGoneError, InputError, PayloadTooLargeError } from './errors.js';
import { unzstdInWorker } from './zstd-pool.js';

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
 * zstd (the Collector's otlphttp exporter offers it; Node 20's zlib has none): a frame that declares a content size
 * over the limit is refused before any work; the others are decompressed on worker threads (zstd-pool.ts), never on
 * the event loop, so a small bomb costs the other requests nothing but a core for a moment.
 */
async function unzstd(raw: Buffer, maxBytes: number): Promise<Buffer> {
  const declared = zstdDeclaredSize(raw);
  if (declared !== undefined && declared > maxBytes)
    throw new PayloadTooLargeError(`zstd frame declares ${declared} bytes, over the limit of ${maxBytes} bytes`);
  const least = zstdLeastSize(raw);
  if (least > maxBytes) throw new PayloadTooLargeError(`zstd body expands to at least ${least} bytes, over the limit of ${maxBytes} bytes`);
  const r = await unzstdInWorker(raw, maxBytes);
  if (r.ok) return r.data;
  if (r.tooLarge) throw new PayloadTooLargeError(`decompressed body exceeds the limit of ${maxBytes} bytes`);
  throw new Error(r.message);
}

/**
 * The least a zstd body expands to, from its block headers alone (RFC 8878, 3.1.1.2): raw and RLE blocks state their
 * size, compressed ones count as nothing. A bomb of RLE blocks (the cheapest to make: 4 bytes per 128 KB) is refused
 * on this walk, without decompressing a byte. Frames after the first and malformed headers end the walk.
 */
export function zstdLeastSize(raw: Buffer): number {
  if (raw.length < 6 || raw.readUInt32LE(0) !== 0xfd2fb528) return 0;
  const descriptor = raw[4]!;
  const fcsFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const fcsBytes = fcsFlag === 0 ? singleSegment : [0, 2, 4, 8][fcsFlag]!;
  let at = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][descriptor & 3]! + fcsBytes;
  let least = 0;
  while (at + 3 <= raw.length) {
    const header = raw[at]! | (raw[at + 1]! << 8) | (raw[at + 2]! << 16);
    const [last, type, size] = [header & 1, (header >> 1) & 3, header >>> 3];
    if (type === 3) break;
    if (type !== 2) least += size;
    at += 3 + (type === 1 ? 1 : size);
    if (last) break;
  }
  return least;
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
