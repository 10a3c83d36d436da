/**
 * Spans dressed as an OpenTelemetry SDK in Kubernetes sends them: ~25 resource attributes (SDK, host, OS, process,
 * runtime, k8s, cloud) and the semantic-convention attributes of HTTP servers and clients. The simulator's own spans
 * carry 2-5 attributes, which makes per-span costs look smaller than they are with real applications; the benches
 * take SHAPE=sdk to use these.
 */
import { SpanKind, StatusCode, UNKNOWN_SERVICE, type Attributes, type Span } from '../../src/span.js';

export function withSdkAttributes(spans: readonly Span[]): Span[] {
  const resources = new Map<Attributes, Attributes>();
  return spans.map((s) => {
    let resource = resources.get(s.resource);
    if (!resource) resources.set(s.resource, (resource = sdkResource(s.resource)));
    return { ...s, resource, attributes: { ...kindAttributes(s), ...s.attributes } };
  });
}

function sdkResource(r: Attributes): Attributes {
  const service = r['service.name'] ?? UNKNOWN_SERVICE;
  const pod = `${service}-7d9f8c6b5-x2k4p`;
  return {
    ...r,
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.version': '1.28.0',
    'telemetry.sdk.language': 'nodejs',
    'service.version': r['service.version'] ?? '2.14.3',
    'service.instance.id': r['service.instance.id'] ?? pod,
    'host.name': pod,
    'host.arch': 'amd64',
    'os.type': 'linux',
    'os.version': '6.1.0-18-cloud-amd64',
    'process.pid': '1',
    'process.executable.name': 'node',
    'process.executable.path': '/usr/local/bin/node',
    'process.command_args': '["/usr/local/bin/node","--max-old-space-size=2048","/app/dist/server.js"]',
    'process.runtime.name': 'nodejs',
    'process.runtime.version': '20.11.1',
    'process.runtime.description': 'Node.js',
    'process.owner': 'app',
    'k8s.namespace.name': 'shop-prod',
    'k8s.pod.name': pod,
    'k8s.node.name': 'gke-prod-pool-1-3f2a9c1e-kq7z',
    'k8s.deployment.name': service,
    'container.id': '3f4e1c2b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f',
    'cloud.provider': 'gcp',
    'cloud.region': 'europe-west1',
  };
}

/** What HTTP instrumentation records; the simulator's own attributes (db.*, peer.service, messaging.*) win. */
function kindAttributes(s: Span): Attributes {
  const status = s.statusCode === StatusCode.ERROR ? '500' : '200';
  if (s.kind === SpanKind.SERVER)
    return {
      'http.request.method': 'GET',
      'url.path': '/api/v1/items/12345',
      'url.scheme': 'http',
      'http.route': '/api/v1/items/:id',
      'http.response.status_code': status,
      'network.protocol.version': '1.1',
      'client.address': '10.12.3.45',
      'user_agent.original': 'Go-http-client/1.1',
    };
  if (s.kind === SpanKind.CLIENT && s.attributes['db.system'] === undefined && s.attributes['messaging.system'] === undefined)
    return {
      'http.request.method': 'GET',
      'url.full': 'http://backend:8080/api/v1/items/12345',
      'http.response.status_code': status,
      'network.peer.address': '10.12.3.46',
    };
  return { 'thread.id': '1', 'code.function': 'handle' };
}
