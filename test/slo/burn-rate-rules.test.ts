/**
 * `faultline slo rules` (issue 22): the generated rules pass `promtool check rules` (Debian's Prometheus), follow the
 * workbook's policy with the labels the webhook reads, scale their windows, and refuse a latency threshold that is
 * not a bucket of the exported histogram. Runs the built command (dist/src/main.js) as a user would.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const MAIN = join(import.meta.dirname, '../../dist/src/main.js');
const EXAMPLE = join(import.meta.dirname, 'testdata', 'slos.yaml');

function rules(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [MAIN, 'slo', 'rules', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
}

describe('faultline slo rules', () => {
  it('prints rules that promtool accepts', () => {
    const out = rules(['--file', EXAMPLE]);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const file = join(mkdtempSync(join(tmpdir(), 'faultline-rules-')), 'slo-rules.yml');
    writeFileSync(file, out.stdout);
    // Needs Debian's prometheus package (scripts/ensure-prometheus.sh installs it, as .ci/run does).
    if (spawnSync('promtool', ['--version']).error)
      throw new Error('promtool not found: apt-get install prometheus (or bash scripts/ensure-prometheus.sh as root)');
    const check = execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
    expect(check).toMatch(/SUCCESS: 24 rules found/);
  });

  it('pages at 14.4x over 1h and 5m and at 6x over 6h and 30m, tickets at 1x over 3d and 6h, with the webhook labels', () => {
    const doc = load(rules(['--file', EXAMPLE]).stdout) as { groups: { name: string; rules: Rule[] }[] };
    const group = doc.groups.find((g) => g.name === 'faultline-slo-checkout-place-order')!;
    const alerts = group.rules.filter((r) => r.alert);
    expect(alerts.map((a) => [a.labels!.severity, a.labels!.burn_rate, a.labels!.long_window, a.labels!.short_window])).toEqual([
      ['page', '14.4', '1h', '5m'],
      ['page', '6', '6h', '30m'],
      ['ticket', '1', '3d', '6h'],
    ]);
    expect(alerts[0]!.labels).toMatchObject({
      slo: 'checkout-place-order',
      service: 'checkout',
      environment: 'prod',
      team: 'payments',
      faultline: 'analyse',
    });
    expect(alerts[0]!.expr).toBe(
      'slo:sli_error:ratio_rate1h{slo="checkout-place-order"} / 0.001 > 14.4\nand slo:sli_error:ratio_rate5m{slo="checkout-place-order"} / 0.001 > 14.4',
    );
    const fiveMinutes = group.rules.find((r) => r.record === 'slo:sli_error:ratio_rate5m')!;
    expect(fiveMinutes.expr).toContain('status_code="STATUS_CODE_ERROR"');
    expect(fiveMinutes.expr).toContain('span_name="PlaceOrder"');
    expect(fiveMinutes.expr).toContain('deployment_environment="prod"');
    const latency = doc.groups.find((g) => g.name === 'faultline-slo-builder-latency')!;
    expect(latency.rules.find((r) => r.record === 'slo:sli_error:ratio_rate1h')!.expr).toContain(
      'traces_span_metrics_duration_milliseconds_bucket{service_name="builder", span_kind=~"SPAN_KIND_SERVER|SPAN_KIND_CONSUMER", le="800"}[1h]',
    );
  });

  it('--windows-scale shortens every window and says so in the labels', () => {
    const doc = load(rules(['--file', EXAMPLE, '--windows-scale', '0.01']).stdout) as { groups: { rules: Rule[] }[] };
    const page = doc.groups[0]!.rules.find((r) => r.alert)!;
    expect(page.labels).toMatchObject({ long_window: '36s', short_window: '3s' });
    expect(doc.groups[0]!.rules.find((r) => r.record === 'slo:sli_error:ratio_rate1h')!.expr).toContain('[36s]');
  });

  it('refuses a threshold that is not a histogram bucket, and names the setting that adds it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-rules-'));
    const file = join(dir, 'slos.yaml');
    writeFileSync(file, 'slos:\n  - name: slow\n    service: a\n    objective: 99\n    sli: { type: latency, thresholdMs: 300 }\n');
    const out = rules(['--file', file]);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/SLO slow: sli.thresholdMs 300 is not a bucket .*FAULTLINE_METRICS_LATENCY_BUCKETS/);
    expect(rules(['--file', file], { FAULTLINE_METRICS_LATENCY_BUCKETS: '100ms,300ms,1s' }).status).toBe(0);
  });

  it('an invalid file is one line naming the file, the SLO and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-rules-'));
    const file = join(dir, 'slos.yaml');
    writeFileSync(file, 'slos:\n  - name: bad\n    service: a\n    objective: 120\n    sli: { type: availability }\n');
    const out = rules(['--file', file]);
    expect(out.status).toBe(2);
    expect(out.stderr.trim().split('\n')).toEqual([
      `faultline: ${file}: slos[0] (bad): objective must be a percentage above 0 and below 100 (e.g. 99.9)`,
    ]);
  });
});
