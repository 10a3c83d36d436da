/**
 * Reads a request body with a size limit, decompressing gzip, deflate or zstd when asked; shared by the OTLP/HTTP
 * receiver and the API.
 */
import type { IncomingMessage } from 'node:http';
import { Decompress as ZstdDecompress } from 'fzstd';
import { gunzip, inflate } from 'node:zlib';
import { promisify } from 'node:util';
import { InputError, PayloadTooLargeError } from './errors.js';

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
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.resume();
      throw new PayloadTooLargeError(`request body exceeds the limit of ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (encoding === 'identity' || encoding === '') return raw;
  try {
    // maxOutputLength keeps a small gzip bomb from expanding past the same limit.
    if (encoding === 'gzip') return await gunzipAsync(raw, { maxOutputLength: maxBytes });
    if (encoding === 'deflate') return await inflateAsync(raw, { maxOutputLength: maxBytes });
    if (encoding === 'zstd') return unzstd(raw, maxBytes);
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
 * zstd (the Collector's otlphttp exporter offers it; Node 20's zlib has none): fzstd, pure JS, streamed so that a
 * small bomb stops at the limit instead of expanding in full. Synchronous: ~10 ms per MB decompressed on this
 * machine, bounded by FAULTLINE_MAX_MESSAGE_BYTES.
 */
function unzstd(raw: Buffer, maxBytes: number): Buffer {
  const parts: Uint8Array[] = [];
  let size = 0;
  const stream = new ZstdDecompress((chunk) => {
    size += chunk.length;
    if (size > maxBytes) throw new PayloadTooLargeError(`decompressed body exceeds the limit of ${maxBytes} bytes`);
    parts.push(chunk);
  });
  stream.push(raw, true);
  return Buffer.concat(parts, size);
}
