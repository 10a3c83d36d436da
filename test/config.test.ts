import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDuration, parseListenAddress } from '../src/config.js';
import { effectiveSettings, effectiveSettingsText } from '../src/effective-settings.js';

describe('loadConfig', () => {
  it('reads secrets from *_FILE, refuses both forms at once, and needs both TLS files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-config-'));
    const file = join(dir, 'token');
    writeFileSync(file, 'from-a-file\n');
    expect(loadConfig({ FAULTLINE_API_TOKEN_FILE: file }).apiToken).toBe('from-a-file');
    expect(loadConfig({ FAULTLINE_API_TOKEN_FILE: file }).webhookToken).toBe('from-a-file');
    expect(loadConfig({ FAULTLINE_API_TOKEN: 'a', FAULTLINE_WEBHOOK_TOKEN: 'b' }).webhookToken).toBe('b');
    expect(() => loadConfig({ FAULTLINE_OTLP_TOKEN: 'x', FAULTLINE_OTLP_TOKEN_FILE: file })).toThrow(
      /set FAULTLINE_OTLP_TOKEN or FAULTLINE_OTLP_TOKEN_FILE, not both/,
    );
    expect(() => loadConfig({ FAULTLINE_OTLP_TOKEN_FILE: join(dir, 'missing') })).toThrow(
      /FAULTLINE_OTLP_TOKEN_FILE=.* cannot be read: ENOENT/,
    );
    expect(() => loadConfig({ FAULTLINE_TLS_CERT_FILE: file })).toThrow(/needs both FAULTLINE_TLS_CERT_FILE and FAULTLINE_TLS_KEY_FILE/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the contract defaults', () => {
    const c = loadConfig({});
    expect(c.dataDir).toBe('./data');
    expect(c.clickhouseUrl).toBeUndefined();
    expect(c.otlpGrpcAddr).toEqual({ host: '0.0.0.0', port: 4317 });
    expect(c.otlpHttpAddr).toEqual({ host: '0.0.0.0', port: 4318 });
    expect(c.apiAddr).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(c.retentionDays).toBe(7);
    expect(c.rca.lookbackMs).toBe(15 * 60_000);
    expect(c.rca.serviceLabels).toEqual(['service', 'service_name', 'service.name', 'job']);
    expect(c.ingest.maxMessageBytes).toBe(16 * 1024 * 1024);
    expect(c.storeMergeNice).toBe(5); // docs/scaling.md, session 20
    expect(loadConfig({ FAULTLINE_STORE_MERGE_NICE: '0' }).storeMergeNice).toBe(0);
  });

  it.each([
    ['FAULTLINE_OTLP_GRPC_ADDR', 'nonsense'],
    ['FAULTLINE_API_ADDR', '1.2.3.4:99999'],
    ['FAULTLINE_RETENTION_DAYS', 'seven'],
    ['FAULTLINE_RETENTION_DAYS', '0'],
    ['FAULTLINE_CLICKHOUSE_URL', 'tcp://x:9000'],
    ['FAULTLINE_CLICKHOUSE_CLUSTER', "c'; DROP"],
    ['FAULTLINE_LOG_LEVEL', 'loud'],
    ['FAULTLINE_RCA_LOOKBACK', '15 minutes'],
    ['FAULTLINE_METRICS_FLAVOR', 'jaeger'],
    ['FAULTLINE_METRICS_LATENCY_BUCKETS', '1s,500ms'],
    ['FAULTLINE_TRACES_TABLE', 'otel-traces'],
    ['FAULTLINE_STORE_MAX_MEMORY_BYTES', '-1'],
  ])('%s=%s is refused with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('parses addresses and durations', () => {
    expect(parseListenAddress('[::1]:4317')).toEqual({ host: '::1', port: 4317 });
    expect(parseListenAddress(':8080')).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(parseListenAddress('localhost')).toBeUndefined();
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('2 h')).toBeUndefined();
  });
});

describe('effective settings (faultline config)', () => {
  it('shows each value in effect and its source, never a secret or a URL password', () => {
    const rows = effectiveSettings({
      FAULTLINE_API_TOKEN: 'hunter2',
      FAULTLINE_CLICKHOUSE_URL: 'http://faultline:s3cret@clickhouse:8123',
      FAULTLINE_RCA_SAMPLE_REQUESTS: '900',
    });
    const by = new Map(rows.map((r) => [r.env, r]));
    expect(by.get('FAULTLINE_RCA_SAMPLE_REQUESTS')).toEqual({ env: 'FAULTLINE_RCA_SAMPLE_REQUESTS', value: '900', source: 'environment' });
    expect(by.get('FAULTLINE_DATA_DIR')).toEqual({ env: 'FAULTLINE_DATA_DIR', value: './data', source: 'default' });
    expect(by.get('FAULTLINE_API_TOKEN')!.source).toBe('environment');
    const text = effectiveSettingsText({
      FAULTLINE_API_TOKEN: 'hunter2',
      FAULTLINE_CLICKHOUSE_URL: 'http://faultline:s3cret@clickhouse:8123',
    });
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cret');
    expect(text).toContain('http://faultline:***@clickhouse:8123');
  });

  it('refuses a bad value as serve does, naming the variable', () => {
    expect(() => effectiveSettings({ FAULTLINE_LOG_LEVEL: 'loud' })).toThrow(/FAULTLINE_LOG_LEVEL/);
  });
});
