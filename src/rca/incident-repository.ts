/** Incidents and their reports in the store (ReplacingMergeTree: each save is a new version; reads take the newest). */
import type { Store } from '../store/clickhouse-store.js';
import type { Report } from './report.js';

export interface IncidentFilter {
  service?: string;
  status?: string;
  /** Created in [startMs, endMs). */
  startMs?: number;
  endMs?: number;
  limit: number;
  offset?: number;
}

export class IncidentRepository {
  private lastVersion = 0;

  constructor(private readonly store: Store) {}

  async save(report: Report, dedupKey: string): Promise<void> {
    await this.store.insertJson('incidents', JSON.stringify(this.row(report, dedupKey)) + '\n');
  }

  private row(report: Report, dedupKey: string): Record<string, unknown> {
    // Versions grow with time (so replicas agree on the newest) and strictly within this process.
    this.lastVersion = Math.max(Date.now() * 1000, this.lastVersion + 1);
    return {
      Id: report.id,
      DedupKey: dedupKey,
      Service: report.service,
      Status: report.status,
      AlertStatus: report.alertStatus ?? '',
      CreatedAt: report.createdAt,
      UpdatedAt: report.updatedAt,
      Version: this.lastVersion,
      Report: JSON.stringify(report),
    };
  }

  async get(id: string): Promise<Report | undefined> {
    const [row] = await this.store.query('incident_get', { id });
    return row ? (JSON.parse(row.report) as Report) : undefined;
  }

  /** Many reports at once: a webhook call with a thousand alerts is one read, not a thousand. */
  async findByDedupKeys(dedupKeys: string[]): Promise<Map<string, Report>> {
    if (dedupKeys.length === 0) return new Map();
    const rows = await this.store.query('incident_by_dedup_keys', { dedupKeys: [...new Set(dedupKeys)] });
    return new Map(rows.map((r) => [r.dedupKey, JSON.parse(r.report) as Report]));
  }

  /** Saves several reports in one insert. */
  async saveMany(items: { report: Report; dedupKey: string }[]): Promise<void> {
    if (items.length === 0) return;
    const lines = items.map(({ report, dedupKey }) => JSON.stringify(this.row(report, dedupKey))).join('\n') + '\n';
    await this.store.insertJson('incidents', lines);
  }

  async findByDedupKey(dedupKey: string): Promise<Report | undefined> {
    const [row] = await this.store.query('incident_by_dedup_key', { dedupKey });
    return row ? (JSON.parse(row.report) as Report) : undefined;
  }

  async list(filter: IncidentFilter): Promise<Report[]> {
    const rows = await this.store.query('incident_list', {
      service: filter.service ?? '',
      status: filter.status ?? '',
      start: filter.startMs ?? 0,
      end: filter.endMs ?? 8_000_000_000_000,
      limit: filter.limit,
      offset: filter.offset ?? 0,
    });
    return rows.map((r) => JSON.parse(r.report) as Report);
  }

  async unfinished(): Promise<Report[]> {
    return (await this.store.query('incident_unfinished')).map((r) => JSON.parse(r.report) as Report);
  }
}
