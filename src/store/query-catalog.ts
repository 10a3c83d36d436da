/**
 * Every statement in queries/*.sql by name, once: what a SELECT returns per row, and which files are statements that
 * return nothing. `store.query('name')` and `loadQuery('name')` take only these names, so a typo fails the build;
 * test/store/query-catalog.test.ts checks that every file is listed and every listed name is a file.
 */
import type { EdgeRow, NodeRow } from '../graph/service-graph.js';
import type { ActionRecord } from '../incident-action.js';
import type { DeploymentValueRow } from './deployment-values.js';
import type { EdgeLatency } from './latency-queries.js';
import type { StoredTraceSpan } from './request-traces.js';
import type { StoredTraceRow } from './trace-lookup.js';

/** A latency summary row: one service (or virtual node) with its counts and quantiles. */
export interface LatencyRow {
  name: string;
  kind?: string;
  spanCount: number;
  requests?: number;
  errors: number;
  quantilesNs: number[];
  /** First and last span start (or minute) with data in the window, ms. */
  firstMs?: number;
  lastMs?: number;
}

type Report = { report: string };

/** Incidents of one service and environment, or of all (isTotal), and how fast they were understood and repaired. */
export interface IncidentStatsRow {
  isTotal: number;
  service: string;
  environment: string;
  count: number;
  resolved: number;
  rootCauseNamed: number;
  /** NaN-free: null when nothing resolved / nothing named. */
  mttrSeconds: number | null;
  medianTimeToRootCauseSeconds: number | null;
}

/** One guarded action as recorded (src/actions). */
export type StoredAction = ActionRecord & { atMs: number };

/** Requests of an SLO and how many were good, in one minute or hour starting at `atMs`. */
export interface SloCountRow {
  atMs: number;
  total: number;
  good: number;
}

export interface QueryRows {
  active_parts: { table: string; parts: number };
  analysis_claim_owner: { instance: string };
  deployment_values: DeploymentValueRow;
  detached_parts: { table: string; reason: string; parts: number };
  edge_latency_rollup: EdgeLatency;
  engine_merge_nice: { nice: number };
  graph_edges: EdgeRow;
  graph_nodes: NodeRow;
  incident_actions: StoredAction;
  incident_by_dedup_key: Report;
  incident_by_dedup_keys: Report & { dedupKey: string };
  incident_get: Report;
  incident_list: Report;
  incident_stats: IncidentStatsRow;
  incident_unfinished: Report;
  migration_lock_holder: { holder: string; atMs: number };
  rca_linked_traces: { traceId: string };
  rca_request_sample: { traceId: string; spanId: string; startMs: number; endMs: number };
  rca_trace_spans: StoredTraceSpan;
  schema_migrations_applied: { version: number };
  service_has_spans: { found: number };
  service_series_rollup: { atMs: number; count: number; errors: number; quantilesNs: number[] };
  service_latency_raw: { count: number; errors: number; quantilesNs: number[] };
  service_latency_rollup: { count: number; errors: number; quantilesNs: number[] };
  services_raw: LatencyRow;
  services_rollup: LatencyRow;
  show_create_table: { statement: string };
  slo_counts_availability: SloCountRow;
  slo_counts_latency: SloCountRow;
  span_count: { count: number };
  span_extent: { spans: number; lastMs: number };
  /** Every span of some traces, a scan (tests and checks; one trace is trace_spans). */
  spans_for_traces: Pick<
    StoredTraceRow,
    | 'traceId'
    | 'spanId'
    | 'parentSpanId'
    | 'name'
    | 'kind'
    | 'serviceName'
    | 'startNs'
    | 'durationNs'
    | 'statusCode'
    | 'attributes'
    | 'eventTimesNs'
    | 'eventNames'
    | 'linkTraceIds'
  >;
  storage_per_table: { table: string; rows: number; bytes: number };
  store_snapshot: Record<string, unknown>;
  table_rows: { count: number };
  trace_ids_sample: { traceId: string };
  trace_spans: StoredTraceRow;
  virtual_nodes: LatencyRow;
}

/** Statements that return no rows (DDL, inserts, deletes), run with store.command(loadQuery(name)). */
export const COMMANDS = [
  'analysis_claim',
  'insert_native_file',
  'migration_lock_create',
  'migration_lock_release',
  'migration_lock_request',
  'optimize_table',
  'schema_migrations_create',
] as const;

export type QueryName = keyof QueryRows;
export type CommandName = (typeof COMMANDS)[number];

/** The names of QueryRows at run time (the compiler checks the two lists match). */
export const QUERY_NAMES = [
  'active_parts',
  'analysis_claim_owner',
  'deployment_values',
  'detached_parts',
  'edge_latency_rollup',
  'engine_merge_nice',
  'graph_edges',
  'graph_nodes',
  'incident_actions',
  'incident_by_dedup_key',
  'incident_by_dedup_keys',
  'incident_get',
  'incident_list',
  'incident_stats',
  'incident_unfinished',
  'migration_lock_holder',
  'rca_linked_traces',
  'rca_request_sample',
  'rca_trace_spans',
  'schema_migrations_applied',
  'service_has_spans',
  'service_series_rollup',
  'service_latency_raw',
  'service_latency_rollup',
  'services_raw',
  'services_rollup',
  'show_create_table',
  'slo_counts_availability',
  'slo_counts_latency',
  'span_count',
  'span_extent',
  'spans_for_traces',
  'storage_per_table',
  'store_snapshot',
  'table_rows',
  'trace_ids_sample',
  'trace_spans',
  'virtual_nodes',
] as const satisfies readonly QueryName[];

type Unlisted = Exclude<QueryName, (typeof QUERY_NAMES)[number]>;
/** Fails to compile when QueryRows has a name QUERY_NAMES lacks. */
export const QUERY_NAMES_COMPLETE: [Unlisted] extends [never] ? true : Unlisted = true;
