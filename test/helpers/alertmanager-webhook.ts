/** Builds Alertmanager webhook bodies (version 4), field for field as Alertmanager's webhook notifier sends them. */

export interface AlertSpec {
  service: string;
  status?: 'firing' | 'resolved';
  startsAt: Date;
  endsAt?: Date;
  alertname?: string;
  fingerprint?: string;
  labelName?: string;
  annotations?: Record<string, string>;
  /** Extra labels (environment, ...). */
  labels?: Record<string, string>;
}

export function alertmanagerWebhook(alerts: AlertSpec[], status: 'firing' | 'resolved' = 'firing') {
  const items = alerts.map((a, i) => ({
    status: a.status ?? status,
    labels: {
      alertname: a.alertname ?? 'ServiceP99LatencyHigh',
      [a.labelName ?? 'service_name']: a.service,
      severity: 'page',
      ...a.labels,
    },
    annotations: { summary: `P99 of ${a.service} is high`, ...a.annotations },
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt ? a.endsAt.toISOString() : '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph?g0.expr=service%3Aspan_duration_p99_ms%3A5m',
    fingerprint: a.fingerprint ?? `f${i.toString(16).padStart(15, '0')}${a.service.length}`,
  }));
  return {
    receiver: 'faultline',
    status,
    alerts: items,
    groupLabels: { alertname: 'ServiceP99LatencyHigh' },
    commonLabels: { alertname: 'ServiceP99LatencyHigh', severity: 'page' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: '{}:{alertname="ServiceP99LatencyHigh"}',
    truncatedAlerts: 0,
  };
}
