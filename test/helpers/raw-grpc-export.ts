/** Sends raw ExportTraceServiceRequest bytes over gRPC and returns the error (if any), for error-path tests. */
import * as grpc from '@grpc/grpc-js';

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const identity = (b: Buffer): Buffer => b;

export function rawGrpcExport(port: number, body: Buffer): Promise<grpc.ServiceError | null> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': -1 });
  return new Promise((resolve) =>
    client.makeUnaryRequest(EXPORT_PATH, identity, identity, body, (err) => {
      client.close();
      resolve(err);
    }),
  );
}
