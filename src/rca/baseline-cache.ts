/**
 * The baseline of a firing incident, kept between its re-analyses: the baseline period lies in the past and does
 * not change while the incident fires, so reading and walking its traces again each minute is wasted store time.
 * Bounded (least recently used goes first); an entry is used only for the exact same request.
 */
import type { ServiceGraph } from '../graph/service-graph.js';
import type { RequestProfile } from './request-profile.js';

export interface BaselinePeriod {
  /** What the entry was computed for (service, scope and period): a different request misses. */
  key: string;
  profile: RequestProfile;
  graph: ServiceGraph;
  /** The span budget cut some of its traces. */
  truncated: boolean;
}

/** One incident's slot: analyze() reads and fills it. */
export interface BaselineSlot {
  get(key: string): BaselinePeriod | undefined;
  set(period: BaselinePeriod): void;
}

export class BaselineCache {
  private readonly entries = new Map<string, BaselinePeriod>();

  constructor(private readonly capacity: number) {}

  for(incidentId: string): BaselineSlot {
    return {
      get: (key) => {
        const e = this.entries.get(incidentId);
        if (!e || e.key !== key) return undefined;
        this.entries.delete(incidentId);
        this.entries.set(incidentId, e);
        return e;
      },
      set: (period) => {
        this.entries.delete(incidentId);
        this.entries.set(incidentId, period);
        while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
      },
    };
  }

  forget(incidentId: string): void {
    this.entries.delete(incidentId);
  }

  get size(): number {
    return this.entries.size;
  }
}
