/**
 * The pages for people (/, /incidents/:id, /services, /services/:name, /map, /slos, /traces/:traceId): one HTML shell and the bundled script and
 * stylesheet that `npm run build` writes to dist/web (scripts/build-web.mjs). They hold no data: the script reads the
 * JSON API, so with FAULTLINE_API_TOKEN set nothing but the sign-in form shows until the token is entered.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FormatOptions } from './incident-formats.js';
import type { Router } from './router.js';

const PAGES = ['/', '/incidents/:id', '/services', '/services/:name', '/map', '/slos', '/traces/:traceId'];

const SHELL = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>faultline</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<nav aria-label="faultline"><a href="/">Incidents</a><a href="/services">Services</a><a href="/map">Map</a><a href="/slos">SLOs</a><span class="tz">times in UTC</span></nav>
<main id="app" tabindex="-1"><p>Loading…</p></main>
<script src="/assets/app.js"></script>
</body>
</html>
`;

/** dist/web, found from this file whether it runs from src/ (tests) or dist/src/; undefined when not built. */
function webDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [join(dir, 'web'), join(dir, 'dist', 'web')]) if (existsSync(join(candidate, 'app.js'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function addPageRoutes(router: Router, links: FormatOptions): void {
  const dir = webDir();
  const assets = { 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' } as const;
  // Without a build (a bench compiled with tsc alone) the pages say how to get them; the API works regardless.
  const missing = Buffer.from('/* the pages are not built: run npm run build */');
  const files = Object.fromEntries(Object.keys(assets).map((name) => [name, dir ? readFileSync(join(dir, name)) : missing]));
  const headers = {
    'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
    'X-Content-Type-Options': 'nosniff',
  };
  for (const page of PAGES) {
    router.get(page, ({ res }) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache', ...headers });
      res.end(SHELL);
    });
  }
  router.get('/assets/:name', ({ params, res }) => {
    const type = assets[params.name as keyof typeof assets];
    if (!type) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache', ...headers });
    res.end(files[params.name!]);
  });
  // What the pages need to know of the configuration (no secrets).
  router.get('/api/v1/ui-settings', () => ({ ...(links.traceUrlTemplate ? { traceUrlTemplate: links.traceUrlTemplate } : {}) }));
}
