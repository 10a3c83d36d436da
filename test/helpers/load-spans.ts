/** Sends spans to a running faultline over OTLP/HTTP (protobuf), in requests of `chunk` spans. */
import type { Span } from '../../src/span.js';
import { encodeProto } from '../sim/otlp-encode.js';

export async function sendSpans(otlpHttp: string, spans: Span[], chunk = 5000): Promise<void> {
  for (let i = 0; i < spans.length; i += chunk) {
    const res = await fetch(`${otlpHttp}/v1/traces`, {
      method: 'POST',
      body: encodeProto(spans.slice(i, i + chunk)),
      headers: { 'content-type': 'application/x-protobuf' },
    });
    if (res.status !== 200) throw new Error(`export failed: ${res.status} ${await res.text()}`);
  }
}
