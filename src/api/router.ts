/** A small method + path router with `:param` segments. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
}

/** A handler returns the JSON body to send (status 200) or an ApiResponse, or sends the response itself and returns undefined. */
export type Handler = (ctx: RequestContext) => Promise<unknown> | unknown;

export interface ApiResponse {
  status: number;
  body: unknown;
}

export function apiResponse(status: number, body: unknown): ApiResponse & { __apiResponse: true } {
  return { status, body, __apiResponse: true };
}

export function isApiResponse(v: unknown): v is ApiResponse {
  return typeof v === 'object' && v !== null && '__apiResponse' in v;
}

interface Route {
  method: string;
  /** The path as registered (`/api/v1/incidents/:id`): a low-cardinality label for request metrics. */
  pattern: string;
  segments: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  get(path: string, handler: Handler): this {
    return this.add('GET', path, handler);
  }

  post(path: string, handler: Handler): this {
    return this.add('POST', path, handler);
  }

  private add(method: string, path: string, handler: Handler): this {
    this.routes.push({ method, pattern: path, segments: path.split('/').filter(Boolean), handler });
    return this;
  }

  /** The matching handler, 'method' when the path exists under another method, or undefined. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string>; pattern: string } | 'method' | undefined {
    const parts = path.split('/').filter(Boolean);
    let pathMatched = false;
    for (const r of this.routes) {
      const params = matchSegments(r.segments, parts);
      if (!params) continue;
      if (r.method === method || (method === 'HEAD' && r.method === 'GET')) return { handler: r.handler, params, pattern: r.pattern };
      pathMatched = true;
    }
    return pathMatched ? 'method' : undefined;
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(parts[i]!);
      } catch {
        return undefined;
      }
    } else if (p !== parts[i]) return undefined;
  }
  return params;
}
