/** Tiny protobuf encoder for the few small messages we answer with (responses, google.rpc.Status). */

export function varintField(field: number, value: number): Buffer {
  return Buffer.from([...varint(field << 3), ...varint(value)]);
}

export function bytesField(field: number, value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([Buffer.from([...varint((field << 3) | 2), ...varint(bytes.length)]), bytes]);
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/**
 * google.rpc.Status { code, message, details: [google.rpc.RetryInfo] }. OTLP clients retry RESOURCE_EXHAUSTED
 * only when RetryInfo is present, and use its delay.
 */
export function encodeRpcStatus(code: number, message: string, retryAfterSeconds?: number): Buffer {
  const parts = [varintField(1, code), bytesField(2, message)];
  if (retryAfterSeconds !== undefined) {
    const duration = varintField(1, Math.max(0, Math.round(retryAfterSeconds)));
    const retryInfo = bytesField(1, duration);
    const any = Buffer.concat([bytesField(1, 'type.googleapis.com/google.rpc.RetryInfo'), bytesField(2, retryInfo)]);
    parts.push(bytesField(3, any));
  }
  return Buffer.concat(parts);
}
