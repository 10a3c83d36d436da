import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDuration, parseListenAddress } from '../src/config.js';

describe('loadConfig', () => {
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
