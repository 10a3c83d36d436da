/**
 * A small shop instrumented with the real OTel JS SDK (one NodeTracerProvider per service, the official OTLP/gRPC
 * exporter), serving requests in real time: frontend -> cart -> inventory -> postgres (uninstrumented database).
 * `slowInventory` injects a fault: inventory's own work takes 300 ms longer; `slowDb` another: the database's
 * answers take 250 ms longer; `failingInventory` makes that share of inventory's requests fail, and the failure
 * travels up to the frontend as it would with real error handling.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class TracedShop {
  slowInventory = false;
  slowDb = false;
  /** Share (0..1) of inventory's requests that fail. */
  failingInventory = 0;
  private readonly providers: NodeTracerProvider[] = [];
  private readonly tracers: Record<'frontend' | 'cart' | 'inventory', Tracer>;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(otlpGrpcUrl: string) {
    const tracer = (service: string): Tracer => {
      const provider = new NodeTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpGrpcUrl }), { scheduledDelayMillis: 300 })],
      });
      this.providers.push(provider);
      return provider.getTracer('faultline-e2e');
    };
    this.tracers = { frontend: tracer('frontend'), cart: tracer('cart'), inventory: tracer('inventory') };
  }

  /**
   * Starts requests at a fixed rate, whatever their latency (open loop, like real users): a slow dependency then
   * shows as slow requests, not as fewer requests.
   */
  start(perSecond = 40): void {
    this.timer = setInterval(() => {
      const p = this.request().finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }, 1000 / perSecond);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.inFlight);
    await Promise.all(this.providers.map((p) => p.shutdown()));
  }

  private async request(): Promise<void> {
    const server = this.tracers.frontend.startSpan('GET /checkout', { kind: SpanKind.SERVER });
    await sleep(3);
    const failed = await this.call(this.tracers.frontend, server, 'cart', (parent) => this.cart(parent));
    await sleep(2);
    if (failed) server.setStatus({ code: SpanStatusCode.ERROR, message: 'checkout failed' });
    server.end();
  }

  private async cart(parent: Span): Promise<boolean> {
    const server = this.tracers.cart.startSpan('GetCart', { kind: SpanKind.SERVER }, trace.setSpan(ROOT_CONTEXT, parent));
    await sleep(5);
    const failed = await this.call(this.tracers.cart, server, 'inventory', (p) => this.inventory(p));
    if (failed) server.setStatus({ code: SpanStatusCode.ERROR, message: 'inventory failed' });
    server.end();
    return failed;
  }

  private async inventory(parent: Span): Promise<boolean> {
    const server = this.tracers.inventory.startSpan('CheckStock', { kind: SpanKind.SERVER }, trace.setSpan(ROOT_CONTEXT, parent));
    await sleep(this.slowInventory ? 310 : 10);
    const db = this.tracers.inventory.startSpan(
      'SELECT stock',
      { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.namespace': 'stock' } },
      trace.setSpan(ROOT_CONTEXT, server),
    );
    await sleep(this.slowDb ? 252 : 2);
    db.end();
    const failed = Math.random() < this.failingInventory;
    if (failed) server.setStatus({ code: SpanStatusCode.ERROR, message: 'stock check failed' });
    server.end();
    return failed;
  }

  /** A client span in the caller; the callee's server span becomes its child (the context is passed explicitly, as propagation would). */
  private async call(callerTracer: Tracer, parent: Span, callee: string, serve: (client: Span) => Promise<boolean>): Promise<boolean> {
    const client = callerTracer.startSpan(
      `call ${callee}`,
      { kind: SpanKind.CLIENT, attributes: { 'server.address': callee } },
      trace.setSpan(ROOT_CONTEXT, parent),
    );
    await sleep(1);
    const failed = await serve(client);
    await sleep(1);
    if (failed) client.setStatus({ code: SpanStatusCode.ERROR });
    client.end();
    return failed;
  }
}
