/** What an incident records of the SLO whose burn-rate alert opened it (types only: the pages import it too). */
export interface IncidentSloRecord {
  name: string;
  objective: number;
  sli: 'availability' | 'latency';
  thresholdMs?: number;
  window: string;
  burnWindow: string;
  /** The burn rate over burnWindow: as Prometheus saw it when it paged (the alert's annotation), else from the store. */
  burnRate: number | null;
  budgetRemaining: number | null;
  budgetSpentDuring: number | null;
}
