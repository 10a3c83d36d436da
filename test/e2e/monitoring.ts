/**
 * Prometheus scraping faultline with a rule file, and Alertmanager sending to faultline's webhook, on loopback ports,
 * started in a ProcessGroup and waited for (faultline too). `routedOnly`: as shipped (deploy/alertmanager.yml), only
 * alerts labelled faultline="analyse" go to faultline.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor, type ProcessGroup } from './processes.js';

export interface MonitoringPorts {
  api: number;
  prom: number;
  am: number;
}

export async function startMonitoring(
  procs: ProcessGroup,
  ports: MonitoringPorts,
  opts: { ruleFile: string; evaluationInterval: string; routedOnly: boolean },
): Promise<void> {
  const dir = procs.logDir;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\n  evaluation_interval: ${opts.evaluationInterval}\nrule_files:\n  - ${opts.ruleFile}\nalerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['127.0.0.1:${ports.am}']\nscrape_configs:\n  - job_name: faultline\n    static_configs:\n      - targets: ['127.0.0.1:${ports.api}']\n`,
  );
  const webhook = `  - name: faultline\n    webhook_configs:\n      - url: http://127.0.0.1:${ports.api}/api/v1/alerts/alertmanager\n        send_resolved: true\n`;
  const timing = `  group_by: ['alertname', 'service_name']\n  group_wait: 1s\n  group_interval: 5s\n  repeat_interval: 1h\n`;
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    opts.routedOnly
      ? `route:\n  receiver: nobody\n${timing}  routes:\n    - matchers: ['faultline="analyse"']\n      receiver: faultline\nreceivers:\n  - name: nobody\n${webhook}`
      : `route:\n  receiver: faultline\n${timing}receivers:\n${webhook}`,
  );
  procs.start('prometheus', 'prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'prom-data')}`,
    `--web.listen-address=127.0.0.1:${ports.prom}`,
  ]);
  procs.start('alertmanager', 'prometheus-alertmanager', [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'am-data')}`,
    `--web.listen-address=127.0.0.1:${ports.am}`,
    `--cluster.listen-address=`,
  ]);
  await waitFor('faultline /readyz', 60_000, async () => ((await fetch(`http://127.0.0.1:${ports.api}/readyz`)).ok ? true : undefined));
  await waitFor('Prometheus ready', 60_000, async () => ((await fetch(`http://127.0.0.1:${ports.prom}/-/ready`)).ok ? true : undefined));
  await waitFor('Alertmanager ready', 60_000, async () => ((await fetch(`http://127.0.0.1:${ports.am}/-/ready`)).ok ? true : undefined));
}
