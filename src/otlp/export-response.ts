/** ExportTraceServiceResponse { 1: ExportTracePartialSuccess { 1: rejected_spans int64, 2: error_message string } }. */
import { bytesField, varintField } from './proto-writer.js';

export interface ExportOutcome {
  rejected: number;
  errorMessage: string;
}

export function encodeExportResponseProto(o: ExportOutcome): Buffer {
  if (o.rejected === 0 && o.errorMessage === '') return Buffer.alloc(0);
  const inner = Buffer.concat([varintField(1, o.rejected), bytesField(2, o.errorMessage)]);
  return bytesField(1, inner);
}

export function encodeExportResponseJson(o: ExportOutcome): string {
  if (o.rejected === 0 && o.errorMessage === '') return '{}';
  return JSON.stringify({ partialSuccess: { rejectedSpans: String(o.rejected), errorMessage: o.errorMessage } });
}
