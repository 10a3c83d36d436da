import type { Span } from '../span.js';

/**
 * Where receivers hand decoded spans. `accept` resolves only once the spans are committed to the store;
 * it rejects with OverloadedError, StoreUnavailableError or NotReadyError, which receivers map to retryable codes.
 * It takes what it needs of the spans before returning: the caller lets go of them while it awaits the commit.
 */
export interface SpanSink {
  /** `deadlineMs`: when the client stops waiting (gRPC sends it); work it cannot wait for is refused, not done. */
  accept(spans: Span[], deadlineMs?: number): Promise<void>;
  /**
   * Whether a request would be refused anyway (the queue already waits longer than allowed): checked before
   * decoding, so overload does not also spend the CPU it lacks on decoding what it will refuse.
   */
  refusal?(deadlineMs?: number): Error | undefined;
}
