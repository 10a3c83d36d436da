/** Reads a JSON request body within the API's size limit. */
import type { IncomingMessage } from 'node:http';
import { InputError } from '../errors.js';
import { readBody } from '../http-body.js';

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && type !== '') throw new InputError(`Content-Type must be application/json, got ${type}`);
  const body = await readBody(req, maxBytes);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new InputError(`malformed JSON body: ${(err as Error).message}`);
  }
}
