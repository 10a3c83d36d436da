/**
 * Tells chat and other tools about incidents: a message when an incident's first analysis finishes, when its top
 * candidate (or verdict) changes, and when it resolves; never twice for the same state. FAULTLINE_NOTIFY_WEBHOOK_URLS
 * get faultline's incident JSON, FAULTLINE_NOTIFY_SLACK_URLS Slack's Block Kit (incoming webhooks).
 *
 * Delivery never blocks anything else: noteReport() only queues. A bounded queue (full: the oldest message is
 * dropped and counted), a few posts at a time, each retried with backoff on 5xx, 429, timeouts and refused
 * connections; a 4xx is final. Outcomes are counted on /metrics and failures logged.
 */
import type { Counter, Gauge, Registry } from 'prom-client';
import { incidentSlack, type FormatOptions } from '../api/incident-formats.js';
import type { Logger } from '../log.js';
import { SELF_METRICS } from '../metric-catalog.js';
import type { Report } from '../rca/report.js';
import { counterOf, gaugeOf } from '../self-metrics.js';

export type NotifyEvent = 'analysed' | 'top_changed' | 'resolved';

export interface NotifierOptions {
  webhookUrls: readonly string[];
  slackUrls: readonly string[];
  links: FormatOptions;
  /** Messages waiting for delivery, all targets together. */
  maxQueued?: number;
  /** Attempts per message (the first included) and the first retry delay (doubling, capped at 30 s). */
  attempts?: number;
  firstRetryMs?: number;
  timeoutMs?: number;
  concurrency?: number;
}

interface Message {
  kind: 'webhook' | 'slack';
  url: string;
  body: string;
  attempt: number;
  incident: string;
}

/** What was last told about an incident. */
interface Told {
  analysed: boolean;
  top: string;
  verdict: string;
  resolved: boolean;
}

const MAX_REMEMBERED = 10_000;

export class IncidentNotifier {
  private readonly queue: Message[] = [];
  private readonly told = new Map<string, Told>();
  private running = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly outcomes: Counter<'kind' | 'outcome'>;
  private closed = false;

  constructor(
    private readonly opts: NotifierOptions,
    registry: Registry,
    private readonly log: Logger,
  ) {
    this.outcomes = counterOf(registry, SELF_METRICS.notifications);
    const queue = this.queue;
    gaugeOf(registry, SELF_METRICS.notificationQueue, function (this: Gauge) {
      this.set(queue.length);
    });
  }

  get enabled(): boolean {
    return this.opts.webhookUrls.length + this.opts.slackUrls.length > 0;
  }

  /** A report was saved: queue what changed since the last message about it. Never throws, never waits. */
  noteReport(report: Report): void {
    if (!this.enabled || this.closed) return;
    const event = this.eventFor(report);
    if (!event) return;
    const links = this.opts.links;
    const url = links.publicUrl ? `${links.publicUrl}/incidents/${report.id}` : undefined;
    const webhook = JSON.stringify({ event, ...(url ? { url } : {}), incident: report });
    const slack = JSON.stringify(incidentSlack(report, links));
    for (const u of this.opts.webhookUrls) this.push({ kind: 'webhook', url: u, body: webhook, attempt: 0, incident: report.id });
    for (const u of this.opts.slackUrls) this.push({ kind: 'slack', url: u, body: slack, attempt: 0, incident: report.id });
  }

  /** Stops retrying; messages still queued are dropped (and counted). */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const m of this.queue.splice(0)) this.outcomes.inc({ kind: m.kind, outcome: 'dropped' });
  }

  private eventFor(r: Report): NotifyEvent | undefined {
    const before = this.told.get(r.id) ?? { analysed: false, top: '', verdict: '', resolved: false };
    const done = r.status === 'done';
    const resolved = r.alertStatus === 'resolved';
    const top = r.candidates[0]?.service ?? '';
    const verdict = r.verdict ?? '';
    let event: NotifyEvent | undefined;
    if (resolved && !before.resolved) event = 'resolved';
    else if (done && !before.analysed) event = 'analysed';
    else if (done && (before.top !== top || before.verdict !== verdict)) event = 'top_changed';
    if (!event) return undefined;
    this.told.delete(r.id); // re-inserted last: the map's order is least recently told first
    this.told.set(r.id, {
      analysed: before.analysed || done,
      top: done ? top : before.top,
      verdict: done ? verdict : before.verdict,
      resolved: before.resolved || resolved,
    });
    if (this.told.size > MAX_REMEMBERED) this.told.delete(this.told.keys().next().value!);
    return event;
  }

  private push(m: Message): void {
    if (this.queue.length >= (this.opts.maxQueued ?? 1000)) {
      const dropped = this.queue.shift()!;
      this.outcomes.inc({ kind: dropped.kind, outcome: 'dropped' });
      this.log.warn('notification queue full: dropped the oldest message', { incident: dropped.incident, kind: dropped.kind });
    }
    this.queue.push(m);
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.running < (this.opts.concurrency ?? 4) && this.queue.length > 0) {
      const m = this.queue.shift()!;
      this.running++;
      void this.deliver(m).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async deliver(m: Message): Promise<void> {
    m.attempt++;
    let retry: string | undefined;
    try {
      const res = await fetch(m.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: m.body,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) {
        this.outcomes.inc({ kind: m.kind, outcome: 'sent' });
        return;
      }
      if (res.status < 500 && res.status !== 429) {
        this.outcomes.inc({ kind: m.kind, outcome: 'rejected' });
        this.log.warn('notification rejected by its receiver; not retried', {
          incident: m.incident,
          kind: m.kind,
          status: res.status,
          target: host(m.url),
        });
        return;
      }
      retry = `HTTP ${res.status}`;
    } catch (err) {
      retry = (err as Error).name === 'TimeoutError' ? 'timeout' : ((err as Error).message ?? String(err));
    }
    if (m.attempt >= (this.opts.attempts ?? 6) || this.closed) {
      this.outcomes.inc({ kind: m.kind, outcome: 'failed' });
      this.log.warn('notification failed; giving up', {
        incident: m.incident,
        kind: m.kind,
        attempts: m.attempt,
        last: retry,
        target: host(m.url),
      });
      return;
    }
    const delay = Math.min(30_000, (this.opts.firstRetryMs ?? 1000) * 2 ** (m.attempt - 1));
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.push(m);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}

/** The receiver as logs may name it: scheme and host, never the path (Slack webhook paths are secrets). */
function host(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}
