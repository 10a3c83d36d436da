/**
 * The configs in deploy/ hold together: they parse, every metric their expressions use is one faultline exposes
 * (read from a running faultline's /metrics), Alertmanager routes only trace alerts to faultline's webhook, and the
 * trace alert carries the label that routing needs. promtool/amtool check them too when Debian's packages are here.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

interface Rules {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string; labels?: Record<string, string> }[] }[];
}

let h: Harness;
let exposed: Set<string>;
beforeAll(async () => {
  h = await startHarness();
  // Touch the API once so request metrics have series.
  await fetch(`${h.api}/api/v1/incidents`);
  const text = await (await fetch(`${h.api}/metrics`)).text();
  exposed = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
});
afterAll(() => h.stop());

/** Metric names an expression reads (identifiers followed by `{`, `[` or a space that are known families or their parts). */
function metricsIn(expr: string, recorded: Set<string>): string[] {
  const names = [...expr.matchAll(/\b([a-z_][a-z0-9_:]*)\s*(?=\{|\[|\s|\)|$)/g)].map((m) => m[1]!);
  const keywords = new Set(['sum', 'by', 'rate', 'increase', 'histogram_quantile', 'and', 'or', 'offset', 'quantile_over_time', 'le', 'without', 'on', 'ignoring']);
  return names.filter((n) => !keywords.has(n) && !recorded.has(n) && n.includes('_'));
}

const family = (name: string) => name.replace(/_(bucket|count|sum)$/, '');

function checkExpressions(exprs: string[], recorded: Set<string>): void {
  for (const e of exprs) {
    for (const m of metricsIn(e, recorded)) {
      if (['service_name', 'span_kind', 'status', 'reason', 'table', 'route', 'instance', 'job'].includes(m)) continue;
      expect(exposed.has(family(m)) || exposed.has(m), `${m} (in ${e.trim().split('\n')[0]}) is not on /metrics`).toBe(true);
    }
  }
}

describe('deploy/', () => {
  for (const file of ['deploy/faultline-rules.yml', 'deploy/faultline-self-rules.yml']) {
    it(`${file} parses and uses only metrics faultline exposes`, () => {
      const rules = load(read(file)) as Rules;
      const all = rules.groups.flatMap((g) => g.rules);
      const recorded = new Set(all.map((r) => r.record).filter((r): r is string => r !== undefined));
      checkExpressions(all.map((r) => r.expr), recorded);
      try {
        execFileSync('promtool', ['check', 'rules', join(ROOT, file)], { stdio: 'pipe' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`promtool: ${String((err as { stdout?: Buffer }).stdout)}`);
      }
    });
  }

  it('the loadbalancing example routes whole traces (traceID) to faultline instances on their OTLP/gRPC port', () => {
    const c = load(read('deploy/otel-collector-loadbalancing.yaml')) as {
      exporters: Record<string, { routing_key: string; protocol: { otlp: unknown }; resolver: { static: { hostnames: string[] } } }>;
      service: { pipelines: { traces: { exporters: string[] } } };
    };
    const lb = c.exporters.loadbalancing!;
    // Trace-ID routing is what keeps a client span and its server span on one instance (docs/scaling.md).
    expect(lb.routing_key).toBe('traceID');
    expect(lb.protocol.otlp).toBeDefined();
    expect(lb.resolver.static.hostnames.length).toBeGreaterThanOrEqual(2);
    for (const host of lb.resolver.static.hostnames) expect(host).toMatch(/^faultline-\d+:4317$/);
    expect(c.service.pipelines.traces.exporters).toEqual(['loadbalancing']);
  });

  it('the trace alert is routed to faultline and nothing else is', () => {
    const rules = load(read('deploy/faultline-rules.yml')) as Rules;
    const alert = rules.groups.flatMap((g) => g.rules).find((r) => r.alert === 'ServiceP99LatencyHigh')!;
    expect(alert.labels?.faultline).toBe('analyse');
    const am = load(read('deploy/alertmanager.yml')) as { route: { receiver: string; routes: { matchers: string[]; receiver: string }[] }; receivers: { name: string; webhook_configs?: { url: string }[] }[] };
    expect(am.route.receiver).not.toBe('faultline');
    expect(am.route.routes.find((r) => r.receiver === 'faultline')!.matchers).toEqual(['faultline="analyse"']);
    expect(am.receivers.find((r) => r.name === 'faultline')!.webhook_configs![0]!.url).toMatch(/\/api\/v1\/alerts\/alertmanager$/);
    try {
      execFileSync('amtool', ['check-config', join(ROOT, 'deploy/alertmanager.yml')], { stdio: 'pipe' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`amtool: ${String((err as { stdout?: Buffer }).stdout)}`);
    }
  });

  it('the Grafana dashboard parses and its panels query metrics faultline exposes', () => {
    const dash = JSON.parse(read('deploy/grafana/faultline-health.json')) as { uid: string; panels: { title: string; targets: { expr: string }[] }[] };
    expect(dash.uid).toBe('faultline-health');
    expect(dash.panels.length).toBeGreaterThanOrEqual(8);
    checkExpressions(dash.panels.flatMap((p) => p.targets.map((t) => t.expr)), new Set());
  });

  it("Grafana's provisioned datasources point at compose's ClickHouse (faultline's trace tables) and Prometheus", () => {
    type Ds = { name: string; type: string; url?: string; jsonData?: Record<string, unknown> & { traces?: Record<string, unknown> }; secureJsonData?: Record<string, string> };
    const { datasources } = load(read('deploy/grafana/provisioning/datasources/faultline.yml')) as { datasources: Ds[] };
    const compose = load(read('docker-compose.yml')) as { services: Record<string, { environment?: Record<string, string>; volumes?: string[]; image?: string }> };
    const ch = datasources.find((d) => d.type === 'grafana-clickhouse-datasource')!;
    const env = compose.services.clickhouse!.environment!;
    expect(compose.services[ch.jsonData!.host as string]).toBeDefined();
    expect([ch.jsonData!.username, ch.secureJsonData!.password, ch.jsonData!.defaultDatabase]).toEqual([env.CLICKHOUSE_USER, env.CLICKHOUSE_PASSWORD, env.CLICKHOUSE_DB]);
    expect(compose.services.faultline!.environment!.FAULTLINE_CLICKHOUSE_URL).toContain(`/${env.CLICKHOUSE_DB}`);
    // The names faultline's migrations create, and Grafana's OTel mode with the trace-id lookup table.
    expect(ch.jsonData!.traces).toMatchObject({ defaultTable: 'otel_traces', otelEnabled: true, traceTimestampTableSuffix: '_trace_id_ts', traceEventsColumnPrefix: 'Events', traceLinksColumnPrefix: 'Links' });
    expect(datasources.find((d) => d.type === 'prometheus')!.url).toBe('http://prometheus:9090');
    const grafana = compose.services.grafana!;
    expect(grafana.environment!.GF_INSTALL_PLUGINS).toContain('grafana-clickhouse-datasource');
    expect(grafana.volumes).toContain('./deploy/grafana/provisioning:/etc/grafana/provisioning:ro');
  });

  it("the Dockerfile's build stage has what npm run build runs (tsc and the pages' bundle), and ships dist/", () => {
    const docker = read('Dockerfile');
    const build = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.build!;
    for (const file of build.match(/[\w./-]+\.(?:json|mjs)/g) ?? []) expect(docker, `${file} is not copied`).toMatch(new RegExp(`COPY [^\n]*${file.split('/').pop()!.replace('.', '\\.')}`));
    expect(docker).toContain('COPY src ./src');
    expect(docker).toContain('COPY --from=build /app/dist ./dist');
  });

  it('prometheus.yml loads both rule files, and docker-compose mounts them', () => {
    const prom = load(read('deploy/prometheus.yml')) as { rule_files: string[] };
    expect(prom.rule_files).toEqual(['/etc/prometheus/faultline-rules.yml', '/etc/prometheus/faultline-self-rules.yml']);
    const compose = read('docker-compose.yml');
    for (const f of prom.rule_files) expect(compose).toContain(`:${f}:ro`);
  });
});
