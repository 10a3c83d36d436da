/** The result of decoding one OTLP export request: the valid spans, and what was rejected and why. */
import type { Span } from '../span.js';

export interface DecodedExport {
  spans: Span[];
  rejected: number;
  /** Human-readable reason, naming the first few invalid spans; '' when nothing was rejected. */
  errorMessage: string;
}

/** Collects span rejections and keeps the first few reasons for the partial_success message. */
export class RejectionLog {
  count = 0;
  private readonly reasons: string[] = [];

  add(where: string, reason: string): void {
    this.count++;
    if (this.reasons.length < 5) this.reasons.push(`${where}: ${reason}`);
  }

  message(): string {
    if (this.count === 0) return '';
    const more = this.count - this.reasons.length;
    return `${this.count} invalid span(s) rejected: ${this.reasons.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
  }
}
