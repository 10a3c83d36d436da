/** The pages' entry point: picks the page by path; a 401 from the API shows the token form instead. */
import { NotFound, Unauthorized } from './api-client.js';
import { h } from './dom.js';
import { incidentPage } from './incident-page.js';
import { incidentsPage } from './incidents-page.js';
import { loginForm } from './login.js';
import { servicesPage } from './services-page.js';
import { slosPage } from './slos-page.js';
import { tracePage } from './trace-page.js';
import { mapPage } from './map-page.js';
import { servicePage } from './service-page.js';

async function route(root: HTMLElement): Promise<void> {
  const path = location.pathname;
  const incident = /^\/incidents\/([^/]+)$/.exec(path);
  const trace = /^\/traces\/([0-9a-fA-F]{32})$/.exec(path);
  if (incident) return incidentPage(root, decodeURIComponent(incident[1]!));
  if (trace) return tracePage(root, trace[1]!);
  const service = /^\/services\/([^/]+)$/.exec(path);
  if (service) return servicePage(root, decodeURIComponent(service[1]!));
  if (path === '/services') return servicesPage(root);
  if (path === '/map') return mapPage(root);
  if (path === '/slos') return slosPage(root);
  return incidentsPage(root);
}

const root = document.getElementById('app')!;
route(root).catch((err: unknown) => {
  if (err instanceof Unauthorized) root.replaceChildren(loginForm());
  else if (err instanceof NotFound)
    root.replaceChildren(
      h('h1', {}, 'Not found'),
      h('p', { id: 'not-found' }, err.message),
      h('p', {}, h('a', { href: '/' }, '← Incidents')),
    );
  else root.replaceChildren(h('h1', {}, 'Something went wrong'), h('p', {}, err instanceof Error ? err.message : String(err)));
});
