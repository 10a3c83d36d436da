/** Reference decode with protobufjs over proto/: the slow, obviously-right path our decoder is compared with. */
import { join } from 'node:path';
import protobuf from 'protobufjs';

const PROTO_DIR = join(import.meta.dirname, '../../proto');

export function loadOtlpRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
  root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto', { keepCase: false });
  return root;
}

export interface RefSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startNs: string;
  endNs: string;
  statusCode: number;
  statusMessage: string;
  serviceName: string;
  scopeName: string;
  attributes: Record<string, string>;
  resource: Record<string, string>;
  events?: { timeNs: string; name: string; attributes: Record<string, string> }[];
  links?: { traceId: string; spanId: string; traceState: string; attributes: Record<string, string> }[];
}

type AnyV = Record<string, unknown>;

function anyToJson(v: AnyV | undefined): unknown {
  if (!v) return '';
  if (v.stringValue !== undefined && v.stringValue !== null) return v.stringValue;
  if (v.boolValue !== undefined && v.boolValue !== null) return v.boolValue ? 'true' : 'false';
  if (v.intValue !== undefined && v.intValue !== null) return String(v.intValue);
  if (v.doubleValue !== undefined && v.doubleValue !== null) return String(v.doubleValue);
  if (v.bytesValue !== undefined && v.bytesValue !== null) return Buffer.from(v.bytesValue as Uint8Array).toString('base64');
  if (v.arrayValue) return ((v.arrayValue as { values?: AnyV[] }).values ?? []).map(anyToJson);
  if (v.kvlistValue) {
    const o: Record<string, unknown> = {};
    for (const kv of (v.kvlistValue as { values?: { key: string; value?: AnyV }[] }).values ?? []) o[kv.key] = anyToJson(kv.value);
    return o;
  }
  return '';
}

function attrs(list: { key: string; value?: AnyV }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list ?? []) {
    const j = anyToJson(kv.value);
    out[kv.key] = typeof j === 'string' ? j : JSON.stringify(j);
  }
  return out;
}

const hex = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('hex');

/** All spans in the request, valid or not, flattened like our decoder's output. */
export function referenceDecode(root: protobuf.Root, buf: Buffer): RefSpan[] {
  const Req = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const msg = Req.toObject(Req.decode(buf), { longs: String, enums: Number, defaults: false }) as any;
  const out: RefSpan[] = [];
  for (const rs of msg.resourceSpans ?? []) {
    const resource = attrs(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          // A parent of eight zero bytes is no parent (the exporter stores '').
          parentSpanId: /^0+$/.test(hex(s.parentSpanId)) ? '' : hex(s.parentSpanId),
          name: s.name ?? '',
          kind: s.kind ?? 0,
          startNs: String(s.startTimeUnixNano ?? '0'),
          endNs: String(s.endTimeUnixNano ?? '0'),
          statusCode: s.status?.code ?? 0,
          statusMessage: s.status?.message ?? '',
          serviceName: resource['service.name'] || 'unknown_service',
          scopeName: ss.scope?.name ?? '',
          attributes: attrs(s.attributes),
          resource,
          ...(s.events?.length
            ? {
                events: s.events.map((e: { timeUnixNano?: string; name?: string; attributes?: [] }) => ({
                  timeNs: String(e.timeUnixNano ?? '0'),
                  name: e.name ?? '',
                  attributes: attrs(e.attributes),
                })),
              }
            : {}),
          ...(s.links?.length
            ? {
                links: s.links.map((l: { traceId?: Uint8Array; spanId?: Uint8Array; traceState?: string; attributes?: [] }) => ({
                  traceId: hex(l.traceId),
                  spanId: hex(l.spanId),
                  traceState: l.traceState ?? '',
                  attributes: attrs(l.attributes),
                })),
              }
            : {}),
        });
      }
    }
  }
  return out;
}
