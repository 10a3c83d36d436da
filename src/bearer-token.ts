/** Bearer-token checks shared by the API, the webhook and both OTLP receivers (constant-time compare). */
import { timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from './errors.js';

/** Throws UnauthorizedError unless `header` is `Bearer <token>`. */
export function checkBearerToken(header: string | undefined, token: string): void {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) throw new UnauthorizedError('missing Authorization: Bearer <token>');
  const given = Buffer.from(m[1]!.trim());
  const want = Buffer.from(token);
  if (given.length !== want.length || !timingSafeEqual(given, want)) throw new UnauthorizedError('invalid bearer token');
}
