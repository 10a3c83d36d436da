/**
 * Alert floods: a rule routed per pod fires 2,000 alerts of one service at once. Each alert still opens its own
 * incident (the webhook's contract), but one analysis serves them all: an alert of the same service, environment and
 * operation whose start is within FLOOD_WINDOW_MS of an open incident's follows that incident, and every result of
 * the leader's analysis is copied to its followers. Another service paging in the same flood is analysed next, not
 * after 2,000 analyses of the same thing. Followers are kept in memory: after a restart a pending follower is
 * analysed on its own.
 */
import type { ParsedAlert } from './alertmanager-payload.js';
import type { IncidentRepository } from './incident-repository.js';
import { reportDedupKey } from './new-incident.js';
import type { Report } from './report.js';

export const FLOOD_WINDOW_MS = 5 * 60_000;

const floodKeyOf = (r: { service: string; environment?: string | undefined; operation?: string | undefined }): string =>
  `${r.service}\u0000${r.environment ?? ''}\u0000${r.operation ?? ''}`;

export class AlertFloods {
  /** Leader id -> its followers' reports as last saved. */
  private readonly followers = new Map<string, Report[]>();

  constructor(private readonly repo: IncidentRepository) {}

  /**
   * The incident a new alert's incident should follow: a leader opened earlier in this call (`opened`), or a firing
   * one in the store (read once per flood key and call, through `cache`).
   */
  async leaderFor(
    a: ParsedAlert & { service: string },
    opened: readonly Report[],
    cache: Map<string, Report[]>,
  ): Promise<Report | undefined> {
    const key = floodKeyOf(a);
    const near = (r: Report) => Math.abs(Date.parse(r.alert?.startsAt ?? r.createdAt) - a.startsAtMs) <= FLOOD_WINDOW_MS;
    const leads = (r: Report) => r.sharesAnalysisOf === undefined && floodKeyOf(r) === key && near(r);
    const fresh = opened.find(leads);
    if (fresh) return fresh;
    let stored = cache.get(key);
    if (!stored) {
      stored = await this.repo.list({ service: a.service, status: 'firing', startMs: a.startsAtMs - 2 * FLOOD_WINDOW_MS, limit: 20 });
      cache.set(key, stored);
    }
    return stored.find((r) => r.alertStatus !== 'resolved' && leads(r));
  }

  /** `follower` shares `leader`'s analysis from now on; it starts with the leader's result when there is one. */
  follow(leader: Report, follower: Report): Report {
    const shared = leader.status === 'done' ? withResultOf(follower, leader) : follower;
    const list = this.followers.get(leader.id) ?? [];
    list.push(shared);
    this.followers.set(leader.id, list);
    return { ...shared, sharesAnalysisOf: leader.id };
  }

  /** Stops sharing (the follower's own alert resolved: it is analysed on its own from then). */
  unfollow(id: string): void {
    for (const [leader, list] of this.followers) {
      const i = list.findIndex((r) => r.id === id);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.followers.delete(leader);
    }
  }

  /** Copies a leader's newest report to its followers, in one insert. */
  async share(leader: Report): Promise<number> {
    const list = this.followers.get(leader.id);
    if (!list || list.length === 0) return 0;
    const updated = list.map((f) => withResultOf(f, leader));
    this.followers.set(leader.id, updated);
    await this.repo.saveMany(updated.map((r) => ({ report: r, dedupKey: reportDedupKey(r) })));
    if (leader.alertStatus === 'resolved') this.followers.delete(leader.id);
    return updated.length;
  }
}

/** The follower with the leader's analysis: what was found and how sure, not the leader's alert or times. */
function withResultOf(follower: Report, leader: Report): Report {
  return {
    ...follower,
    status: leader.status,
    candidates: leader.candidates,
    graph: leader.graph,
    ...(leader.verdict ? { verdict: leader.verdict } : {}),
    ...(leader.summary ? { summary: leader.summary } : {}),
    ...(leader.blastRadius ? { blastRadius: leader.blastRadius } : {}),
    ...(leader.dataCompleteUntil ? { dataCompleteUntil: leader.dataCompleteUntil } : {}),
    ...(leader.error ? { error: leader.error } : {}),
    history: leader.history ?? [],
    timeToRootCauseSeconds: leader.timeToRootCauseSeconds ?? null,
    sharesAnalysisOf: leader.id,
    updatedAt: leader.updatedAt,
  };
}
