/**
 * What changed: for each service, a deployment attribute whose value in the window differs from its most common value
 * in the baseline (`service.version` 1.8.2 -> 1.9.0), with when the new value was first seen. A value the baseline
 * never had counts as soon as it serves a noticeable share of the window (a rollout under way is when the fault
 * shows), not only once it is the majority. Nothing is claimed for a service the baseline has no value for: a young
 * install or a new service has no "before", and "(none) -> 1.4.2" would be invented. Evidence
 * for people, not a ranking input: a deploy near the onset is where to look first, but many deploys are harmless
 * (and the RCA bench has not shown that weighting by them helps).
 */
import { ARROW } from '../shown-figures.js';
import type { DeploymentValueRow } from '../store/deployment-values.js';
import { isoTime } from '../time-units.js';
import type { DeploymentChange } from './report.js';

export function deploymentChanges(rows: readonly DeploymentValueRow[]): Map<string, DeploymentChange[]> {
  const byKey = new Map<string, DeploymentValueRow[]>();
  for (const r of rows) {
    const key = `${r.service}\u0000${r.attribute}`;
    const values = byKey.get(key);
    if (values) values.push(r);
    else byKey.set(key, [r]);
  }
  const out = new Map<string, DeploymentChange[]>();
  for (const values of byKey.values()) {
    const before = dominant(values, (v) => v.baselineSpans);
    if (!before) continue;
    const windowSpans = values.reduce((s, v) => s + v.windowSpans, 0);
    const fresh = values
      .filter((v) => v.baselineSpans === 0 && v.windowSpans >= NOTICEABLE_SHARE * windowSpans)
      .sort((a, b) => b.windowSpans - a.windowSpans)[0];
    const after = fresh ?? dominant(values, (v) => v.windowSpans);
    if (!after || after.value === before.value) continue;
    const change: DeploymentChange = {
      attribute: after.attribute,
      from: before.value,
      to: after.value,
      firstSeen: isoTime(after.firstSeenMs),
    };
    const changes = out.get(after.service);
    if (changes) changes.push(change);
    else out.set(after.service, [change]);
  }
  return out;
}

/** Share of the window's spans a value new in the window must serve to count as a deployment (not a stray test). */
const NOTICEABLE_SHARE = 0.05;

function dominant(values: readonly DeploymentValueRow[], spans: (v: DeploymentValueRow) => number): DeploymentValueRow | undefined {
  let best: DeploymentValueRow | undefined;
  for (const v of values) if (spans(v) > 0 && (!best || spans(v) > spans(best))) best = v;
  return best;
}

/** "storage-s3 service.version 1.8.2 -> 1.9.0, first seen 3 min before the alert" (or at its time). */
export function describeChange(service: string, c: DeploymentChange, alertStartsAtMs?: number): string {
  const change = `${service} ${c.attribute} ${c.from || '(none)'} ${ARROW} ${c.to}`;
  const seen = Date.parse(c.firstSeen);
  if (alertStartsAtMs === undefined) return `${change}, first seen ${c.firstSeen}`;
  const min = Math.round((alertStartsAtMs - seen) / 60_000);
  return `${change}, first seen ${min >= 0 ? `${min} min before` : `${-min} min after`} the alert`;
}
