/** An SLO's figures as the API returns them (types only: the SLO page imports them too). */
export interface SloWindowFigures {
  total: number;
  good: number;
  /** good / total; null with no requests (no data is not 100 %). */
  sli: number | null;
  /** (1 - sli) / (1 - objective): 1 spends exactly the budget over the SLO's window. */
  burnRate: number | null;
}

export interface SloHour {
  at: string;
  total: number;
  good: number;
  sli: number;
  /** Budget left from the window's start to this hour's end. */
  budgetRemaining: number;
}

export interface SloStatus {
  name: string;
  service: string;
  operation?: string;
  environment?: string;
  objective: number;
  sli: { type: 'availability' } | { type: 'latency'; thresholdMs: number };
  window: string;
  labels: Record<string, string>;
  evaluatedAt: string;
  start: string;
  end: string;
  /** True when the window had no requests: every figure is null. */
  noData: boolean;
  current: SloWindowFigures;
  /** Share of the budget left over the window (1 untouched, below 0 overspent); null with no data. */
  errorBudgetRemaining: number | null;
  burnRates: Record<string, SloWindowFigures>;
  series?: SloHour[];
}
