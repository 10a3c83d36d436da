/**
 * HTTP/2 receive windows of the OTLP/gRPC server. grpc-js leaves its server at Node's defaults, 64 KiB per stream and
 * 64 KiB per connection (grpc-node#3058 proposes an option; none exists in 1.14), so a client with several exports
 * in flight on one connection — the Collector's exporter, or an SDK — sends 64 KiB, then waits for faultline's event
 * loop to read it and answer with a WINDOW_UPDATE, and again, every 64 KiB. At 100k spans/s over one connection the
 * export bodies took p50 14-430 ms, p99 230-1085 ms just to arrive; with 4 MiB windows p50 0-105 ms, p99 5-430 ms.
 *
 * A wider window holds no more memory than the default does: grpc-js reads every body as it arrives (the window
 * bounds only bytes sent and not yet read), and the largest request and the admission limit bound the rest.
 *
 * There being no option, this sets two grpc-js internals, each checked: the settings its server hands to
 * http2.createServer (the per-stream window each new connection is told) and the 'session' event of its HTTP/2
 * servers (to open each connection's window). When either is not where expected, the defaults stay and the caller
 * logs it; test/otlp/grpc-receive-window.test.ts fails then, so an upgrade of grpc-js cannot drop this silently.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Http2Server, ServerHttp2Session, Settings } from 'node:http2';

/** The shape of grpc-js's Server internals this relies on (1.10-1.14). */
interface ServerInternals {
  commonServerOptions?: { settings?: Settings };
  http2Servers?: Map<Http2Server, unknown>;
}

/** Before bindAsync: the per-stream window every new connection advertises. False when grpc-js has moved it. */
export function setStreamReceiveWindow(server: grpc.Server, bytes: number): boolean {
  const options = (server as unknown as ServerInternals).commonServerOptions;
  if (typeof options !== 'object' || options === null) return false;
  options.settings = { ...options.settings, initialWindowSize: bytes };
  return true;
}

/** After bindAsync: each new connection's window (all streams together) is opened to `bytes`. */
export function setConnectionReceiveWindow(server: grpc.Server, bytes: number): boolean {
  const servers = (server as unknown as ServerInternals).http2Servers;
  if (!(servers instanceof Map) || servers.size === 0) return false;
  for (const http2Server of servers.keys()) {
    http2Server.on('session', (session: ServerHttp2Session) => {
      // Throws only for a size outside HTTP/2's range, which the setting's bounds rule out.
      session.setLocalWindowSize(bytes);
    });
  }
  return true;
}
