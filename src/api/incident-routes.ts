/** The Alertmanager webhook, incidents and synchronous RCA (README, "API"). */
import type { Config } from '../config.js';
import { InputError, NotFoundError } from '../errors.js';
import { parseAlertmanagerPayload } from '../rca/alertmanager-payload.js';
import type { IncidentService } from '../rca/incident-service.js';
import { readJsonBody } from './json-body.js';
import { apiResponse, type Router } from './router.js';
import { summarizeIncident } from '../rca/incident-summary.js';
import { readIncidentStats } from '../rca/incident-stats.js';
import type { Store } from '../store/clickhouse-store.js';
import type { GuardedActions } from '../actions/guarded-actions.js';
import { formatLinks, incidentMarkdown, incidentSlack } from './incident-formats.js';
import { allowParams, checkWindow, parseTime } from './time-window.js';

const STATUSES = new Set(['pending', 'running', 'done', 'failed', 'firing', 'resolved']);

function wholeNumber(raw: string, field: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new InputError(`${field} must be a whole number from ${min} to ${max}`);
  return n;
}

/** The request's own origin, when its Host header is a plain host[:port]. */
function requestBase(host: string | undefined, tls: boolean): { publicUrl?: string } {
  return host && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)
    ? { publicUrl: `${tls ? 'https' : 'http'}://${host}` }
    : {};
}

export function addIncidentRoutes(router: Router, incidents: IncidentService, store: Store, actions: GuardedActions, config: Config): void {
  router.post('/api/v1/alerts/alertmanager', async ({ req }) => {
    const body = await readJsonBody(req, config.api.webhookMaxBodyBytes);
    const payload = parseAlertmanagerPayload(body, config.rca.serviceLabels, Date.now(), config.rca.environmentLabels);
    const { incidents: opened, skipped } = await incidents.handleAlerts(payload.alerts);
    incidents.noteInvalidAlerts(payload.invalid.length, payload.truncated);
    for (const bad of payload.invalid) skipped.push({ fingerprint: bad.fingerprint, reason: bad.reason });
    const base = req.headers.host ? `http://${req.headers.host}` : '';
    return apiResponse(202, {
      incidents: opened.map((i) => ({
        id: i.id,
        status: i.status,
        service: i.service,
        alertStatus: i.alertStatus,
        created: i.created,
        url: `${base}/api/v1/incidents/${i.id}`,
      })),
      ...(skipped.length > 0 ? { skipped } : {}),
    });
  });

  // Summaries by default (a list of whole reports is large); `view=full` for the reports themselves.
  router.get('/api/v1/incidents', async ({ query }) => {
    allowParams(query, ['service', 'status', 'limit', 'offset', 'start', 'end', 'view']);
    const status = query.get('status') ?? '';
    if (status !== '' && !STATUSES.has(status)) throw new InputError(`status must be one of ${[...STATUSES].join(', ')}`);
    const limit = wholeNumber(query.get('limit') ?? '50', 'limit', 1, 1000);
    const offset = wholeNumber(query.get('offset') ?? '0', 'offset', 0, 1_000_000);
    const view = query.get('view') ?? 'summary';
    if (view !== 'summary' && view !== 'full') throw new InputError('view must be summary or full');
    const startMs = query.has('start') ? parseTime(query.get('start'), 'start') : undefined;
    const endMs = query.has('end') ? parseTime(query.get('end'), 'end') : undefined;
    if (startMs !== undefined && endMs !== undefined && startMs >= endMs) throw new InputError('start must be before end');
    const reports = await incidents.list({
      service: query.get('service') ?? '',
      status,
      limit,
      offset,
      ...(startMs !== undefined ? { startMs } : {}),
      ...(endMs !== undefined ? { endMs } : {}),
    });
    return view === 'full' ? reports : reports.map(summarizeIncident);
  });

  // The loop measured: count, MTTR and median time to root cause per service (before /:id, which would match it).
  router.get('/api/v1/incidents/stats', async ({ query }) => {
    allowParams(query, ['service', 'environment', 'start', 'end']);
    const now = Date.now();
    const endMs = query.has('end') ? parseTime(query.get('end'), 'end', now) : now;
    const startMs = query.has('start') ? parseTime(query.get('start'), 'start', now) : endMs - 30 * 86_400_000;
    if (startMs >= endMs) throw new InputError('start must be before end');
    return readIncidentStats(store, { service: query.get('service') ?? '', environment: query.get('environment') ?? '', startMs, endMs });
  });

  // format=markdown (a ticket) or slack (Block Kit JSON) hand the incident to people; json is the report itself.
  router.get('/api/v1/incidents/:id', async ({ params, query, req, res }) => {
    allowParams(query, ['format']);
    const format = query.get('format') ?? 'json';
    if (!['json', 'markdown', 'slack'].includes(format)) throw new InputError('format must be json, markdown or slack');
    const stored = await incidents.get(params.id!);
    if (!stored) throw new NotFoundError(`no incident ${params.id}`);
    // Actions live in their audit table (an analysis saved meanwhile cannot drop them from the report).
    const recorded = await actions.recorded(stored.id);
    const report = recorded.length > 0 ? { ...stored, actions: recorded } : stored;
    // Without FAULTLINE_PUBLIC_URL, links start from the address this request came to: absolute, never relative.
    const links = { ...formatLinks(config), ...(config.publicUrl ? {} : requestBase(req.headers.host, config.tls !== undefined)) };
    if (format === 'slack') return incidentSlack(report, links);
    if (format === 'markdown') {
      res.writeHead(200, { 'Content-Type': 'text/markdown; charset=utf-8' });
      res.end(incidentMarkdown(report, links));
      return undefined;
    }
    return report;
  });

  // Analyse again now (while firing: the window grows to now); the answer is the incident as it stands, 202.
  router.post('/api/v1/incidents/:id/reanalyze', async ({ params }) => {
    const report = await incidents.reanalyze(params.id!);
    if (!report) throw new NotFoundError(`no incident ${params.id}`);
    return apiResponse(202, { id: report.id, status: report.status, analyses: report.history?.length ?? 0 });
  });

  // A person confirms an action on the current origin: sent even when an earlier one went to another origin.
  router.post('/api/v1/incidents/:id/actions', async ({ params }) => {
    const report = await incidents.get(params.id!);
    if (!report) throw new NotFoundError(`no incident ${params.id}`);
    const taken = await actions.confirm(report);
    if (taken.length === 0) throw new InputError('no action to take: no origin is named, or the SLO file has no action for this incident');
    return apiResponse(202, { id: report.id, actions: taken });
  });

  router.post('/api/v1/rca', async ({ req }) => {
    const body = await readJsonBody(req, config.api.maxBodyBytes);
    if (typeof body !== 'object' || body === null) throw new InputError('body must be a JSON object');
    const b = body as Record<string, unknown>;
    if (typeof b.service !== 'string' || b.service === '') throw new InputError('service is required');
    const start = parseTime(b.start, 'start');
    const end = parseTime(b.end, 'end');
    checkWindow({ startMs: start, endMs: end }, config.api.maxWindowMs, 'start', 'end');
    if (end - start < 60_000) throw new InputError('the window must be at least one minute (the resolution of the rollups RCA reads)');
    const baselineEnd = b.baselineEnd === undefined ? start : parseTime(b.baselineEnd, 'baselineEnd');
    const baselineStart = b.baselineStart === undefined ? baselineEnd - config.rca.baselineMs : parseTime(b.baselineStart, 'baselineStart');
    checkWindow({ startMs: baselineStart, endMs: baselineEnd }, config.api.maxWindowMs, 'baselineStart', 'baselineEnd');
    if (b.operation !== undefined && typeof b.operation !== 'string') throw new InputError('operation must be a string');
    if (b.environment !== undefined && (typeof b.environment !== 'string' || b.environment.length > 256))
      throw new InputError('environment must be a string of at most 256 characters');
    return incidents.analyzeNow({
      service: b.service,
      ...(b.operation ? { operation: b.operation } : {}),
      ...(b.environment ? { environment: b.environment } : {}),
      windowStartMs: start,
      windowEndMs: end,
      baselineStartMs: baselineStart,
      baselineEndMs: baselineEnd,
    });
  });
}
