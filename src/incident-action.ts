/** A guarded action as recorded (src/actions): the store's row and the report's entry share these fields. */
export interface ActionRecord {
  url: string;
  /** sent, dry_run, rejected (4xx), failed (retries used up), skipped (a second action needs a person). */
  status: 'sent' | 'dry_run' | 'rejected' | 'failed' | 'skipped';
  origin: string;
  action: string;
  idempotencyKey: string;
  /** The HTTP status and the start of the answer, or why nothing was sent. */
  response: string;
}
