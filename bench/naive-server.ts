/**
 * The naive baseline for bench:ingest, built the way most Node services would: @grpc/proto-loader's dynamic decode
 * into JS objects, a row object per span, and one JSONEachRow insert per request (acked after the insert).
 * Same store, same table, same ack-after-commit semantics as faultline. Run by bench/ingest.ts as a child process.
 */
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { silentLogger } from '../src/log.js';
import { openStore } from '../src/store/clickhouse-store.js';
import { runMigrations } from '../src/store/migrations.js';

const KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const STATUS = ['Unset', 'Ok', 'Error'];

/* eslint-disable @typescript-eslint/no-explicit-any */
function attrs(list: any[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list ?? []) {
    const v = kv.value ?? {};
    out[kv.key] = String(v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue ?? '');
  }
  return out;
}

async function main(): Promise<void> {
  const [dataDir, port] = [process.argv[2]!, Number(process.argv[3])];
  const store = await openStore({ dataDir, clickhouseUrl: undefined });
  await runMigrations(store, { cluster: undefined, retentionDays: 7 }, silentLogger);
  const def = protoLoader.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto', {
    includeDirs: [join(import.meta.dirname, '../../proto')],
    longs: String,
    enums: Number,
    defaults: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as any;
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  server.addService(pkg.opentelemetry.proto.collector.trace.v1.TraceService.service, {
    Export: (call: any, cb: any) => {
      const rows: object[] = [];
      for (const rs of call.request.resourceSpans) {
        const resource = attrs(rs.resource?.attributes);
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) {
            rows.push({
              Timestamp: s.startTimeUnixNano,
              TraceId: Buffer.from(s.traceId).toString('hex'),
              SpanId: Buffer.from(s.spanId).toString('hex'),
              ParentSpanId: Buffer.from(s.parentSpanId).toString('hex'),
              TraceState: s.traceState,
              SpanName: s.name,
              SpanKind: KINDS[s.kind],
              ServiceName: resource['service.name'] ?? 'unknown_service',
              ResourceAttributes: resource,
              ScopeName: ss.scope?.name ?? '',
              ScopeVersion: ss.scope?.version ?? '',
              SpanAttributes: attrs(s.attributes),
              Duration: String(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)),
              StatusCode: STATUS[s.status?.code ?? 0],
              StatusMessage: s.status?.message ?? '',
            });
          }
        }
      }
      store.insertJson('otel_traces', rows.map((r) => JSON.stringify(r)).join('\n') + '\n').then(
        () => cb(null, {}),
        (err: Error) => cb({ code: grpc.status.UNAVAILABLE, details: err.message }),
      );
    },
  });
  server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err) => {
    if (err) throw err;
    process.stdout.write('ready\n');
  });
  process.on('SIGTERM', () => server.tryShutdown(() => void store.close().then(() => process.exit(0))));
}
main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
