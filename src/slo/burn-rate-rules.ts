/**
 * Prometheus rules for the SLO file (`faultline slo rules`): the SRE workbook's multiwindow, multi-burn-rate policy
 * over faultline's span metrics. Per SLO, recording rules of the error ratio over each window, then three alerts:
 * page when 14.4x the budget burns over 1h and 5m, page at 6x over 6h and 30m, ticket at 1x over 3d and 6h. Each
 * alert carries what faultline's webhook reads (service, environment, slo, the long window) and faultline="analyse"
 * for the shipped Alertmanager route. `windowsScale` shortens every window (tests, demos: 0.01 makes 1h 36s).
 */
import { dump } from 'js-yaml';
import type { MetricsFlavor } from '../graph/metrics-flavor.js';
import type { SloDefinition } from './slo-file.js';
import { sloWindowName } from './evaluate-slo.js';

export const BURN_RATE_POLICY = [
  { severity: 'page', factor: 14.4, long: 3600_000, short: 5 * 60_000 },
  { severity: 'page', factor: 6, long: 6 * 3600_000, short: 30 * 60_000 },
  { severity: 'ticket', factor: 1, long: 3 * 86_400_000, short: 6 * 3600_000 },
] as const;

export class SloRulesError extends Error {}

/** A Prometheus duration for `ms` (whole seconds, at least 1 s). */
function promDuration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const)
    if (s % size === 0) return `${s / size}${unit}`;
  return `${s}s`;
}

const quote = (v: string): string => JSON.stringify(v);

function selector(slo: SloDefinition, flavor: MetricsFlavor, extra: string[] = []): string {
  const m = [`${flavor.span.serviceLabel}=${quote(slo.service)}`];
  // Same requests as the store's SLI: the operation's spans, else the service's server and consumer spans.
  if (slo.operation !== undefined) m.push(`span_name=${quote(slo.operation)}`);
  else m.push('span_kind=~"SPAN_KIND_SERVER|SPAN_KIND_CONSUMER"');
  if (slo.environment !== undefined) m.push(`deployment_environment=${quote(slo.environment)}`);
  return `{${[...m, ...extra].join(', ')}}`;
}

/** The error ratio over `range`: failed (or slower than the threshold) requests / requests. */
function errorRatio(slo: SloDefinition, flavor: MetricsFlavor, range: string): string {
  const calls = flavor.span.calls.name;
  if (slo.sli.type === 'availability')
    return (
      `(sum(rate(${calls}${selector(slo, flavor, ['status_code="STATUS_CODE_ERROR"'])}[${range}])) or vector(0))\n` +
      `/ sum(rate(${calls}${selector(slo, flavor)}[${range}]))`
    );
  const le = flavor.span.unit === 'ms' ? slo.sli.thresholdMs : slo.sli.thresholdMs / 1000;
  if (!flavor.span.buckets.some((b) => Math.abs(b - le) < 1e-9))
    throw new SloRulesError(
      `SLO ${slo.name}: sli.thresholdMs ${slo.sli.thresholdMs} is not a bucket of the span duration histogram ` +
        `(${flavor.span.buckets.join(', ')} ${flavor.span.unit}); add it to FAULTLINE_METRICS_LATENCY_BUCKETS`,
    );
  const hist = flavor.span.duration.name;
  return (
    `1 - sum(rate(${hist}_bucket${selector(slo, flavor, [`le=${quote(String(le))}`])}[${range}]))\n` +
    `/ sum(rate(${hist}_count${selector(slo, flavor)}[${range}]))`
  );
}

export function burnRateRules(slos: readonly SloDefinition[], flavor: MetricsFlavor, windowsScale = 1): string {
  if (!(windowsScale > 0 && windowsScale <= 1)) throw new SloRulesError('--windows-scale must be above 0 and at most 1');
  const groups = slos.map((slo) => {
    const labels: Record<string, string> = {
      ...slo.labels,
      slo: slo.name,
      service: slo.service,
      ...(slo.environment !== undefined ? { environment: slo.environment } : {}),
    };
    const windows = [...new Set(BURN_RATE_POLICY.flatMap((p) => [p.long, p.short]))].sort((a, b) => a - b);
    const record = (w: number): string => `slo:sli_error:ratio_rate${sloWindowName(w)}`;
    const recording = windows.map((w) => ({ record: record(w), expr: errorRatio(slo, flavor, promDuration(w * windowsScale)), labels }));
    const budget = 1 - slo.objective / 100;
    const alerts = BURN_RATE_POLICY.map((p) => {
      const match = `{slo=${quote(slo.name)}}`;
      const budgetText = String(Number(budget.toPrecision(12)));
      return {
        alert: 'SLOErrorBudgetBurn',
        // Divided by the budget, the value is the burn rate over the long window: the annotation hands it to faultline.
        expr: `${record(p.long)}${match} / ${budgetText} > ${p.factor}\nand ${record(p.short)}${match} / ${budgetText} > ${p.factor}`,
        labels: {
          ...labels,
          severity: p.severity,
          long_window: promDuration(p.long * windowsScale),
          short_window: promDuration(p.short * windowsScale),
          burn_rate: String(p.factor),
          // Alertmanager routes alerts with this label to faultline (deploy/alertmanager.yml).
          faultline: 'analyse',
        },
        annotations: {
          summary: `${slo.name}: error budget burning {{ $value | printf "%.1f" }}x over ${promDuration(p.long * windowsScale)} (page at ${p.factor}x; objective ${slo.objective}%)`,
          burn_rate_observed: '{{ $value }}',
        },
      };
    });
    return { name: `faultline-slo-${slo.name}`, rules: [...recording, ...alerts] };
  });
  return (
    '# Generated by `faultline slo rules` from the SLO file: multiwindow, multi-burn-rate alerts (docs/slo.md).\n' +
    dump({ groups }, { lineWidth: 200, noRefs: true })
  );
}
