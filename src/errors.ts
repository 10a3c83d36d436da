/**
 * Typed errors raised at the boundaries (input, overload, store, lookup).
 * Each carries its HTTP status and gRPC code, so they are mapped once, here.
 */

/** gRPC status codes we answer with (subset of grpc.status, kept here so the mapping needs no import). */
export const GrpcCode = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export abstract class FaultlineError extends Error {
  abstract readonly httpStatus: number;
  abstract readonly grpcCode: number;
  /** Stable machine-readable code for the JSON error body. */
  abstract readonly code: string;
  /** Seconds a client should wait before retrying, for retryable errors. */
  readonly retryAfterSeconds: number | undefined = undefined;
}

/** The request itself is wrong: fix it, do not retry. */
export class InputError extends FaultlineError {
  readonly httpStatus = 400;
  readonly grpcCode = GrpcCode.INVALID_ARGUMENT;
  readonly code = 'invalid_argument';
}

/** The request body exceeds a configured size limit. */
export class PayloadTooLargeError extends FaultlineError {
  readonly httpStatus = 413;
  readonly grpcCode = GrpcCode.RESOURCE_EXHAUSTED;
  readonly code = 'payload_too_large';
}

/** Too much work queued: retry later. */
export class OverloadedError extends FaultlineError {
  readonly httpStatus = 429;
  readonly grpcCode = GrpcCode.RESOURCE_EXHAUSTED;
  readonly code = 'overloaded';
  override readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds = 1) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The store failed or is not reachable: retry later. */
export class StoreUnavailableError extends FaultlineError {
  readonly httpStatus = 503;
  readonly grpcCode = GrpcCode.UNAVAILABLE;
  readonly code = 'store_unavailable';
  override readonly retryAfterSeconds: number;
  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterSeconds = options?.retryAfterSeconds ?? 5;
  }
}

/**
 * The store refused the data or the statement (not an outage): retrying the same thing fails again. Not a
 * FaultlineError: on a read it is a bug (500); the batch writer turns it into a per-request InputError.
 */
export class StoreRefusedError extends Error {}

/** Shutting down or not ready yet: retry elsewhere or later. */
export class NotReadyError extends FaultlineError {
  readonly httpStatus = 503;
  readonly grpcCode = GrpcCode.UNAVAILABLE;
  readonly code = 'not_ready';
  override readonly retryAfterSeconds = 5;
}

export class NotFoundError extends FaultlineError {
  readonly httpStatus = 404;
  readonly grpcCode = GrpcCode.NOT_FOUND;
  readonly code = 'not_found';
}

export class UnauthorizedError extends FaultlineError {
  readonly httpStatus = 401;
  readonly grpcCode = GrpcCode.UNAUTHENTICATED;
  readonly code = 'unauthorized';
}

/**
 * The client went away before its request was read (aborted, connection reset). Nothing is wrong on our side, and an
 * attacker can cause any number of them: a debug line and a counter, never an error log. (499 as nginx names it; the
 * client is not there to read it.)
 */
export class ClientGoneError extends FaultlineError {
  readonly httpStatus = 499;
  readonly grpcCode = GrpcCode.UNAVAILABLE;
  readonly code = 'client_gone';
}

/** Anything that is not a FaultlineError is an internal error; its message is not shown to clients. */
export function asFaultlineError(err: unknown): FaultlineError | undefined {
  return err instanceof FaultlineError ? err : undefined;
}
