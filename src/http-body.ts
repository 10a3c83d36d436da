/** Reads a request body with a size limit, gunzipping when asked; shared by the OTLP/HTTP receiver and the API. */
import type { IncomingMessage } from 'node:http';
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
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadTooLargeError(`decompressed body exceeds the limit of ${maxBytes} bytes`);
    }
    throw new InputError(`body is not valid ${encoding}: ${(err as Error).message}`);
  }
  throw new InputError(`unsupported Content-Encoding ${JSON.stringify(encoding)} (use gzip, deflate or identity)`);
}
