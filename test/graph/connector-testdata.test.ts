/**
 * The servicegraph connector's own testdata (messaging-system, virtual-node-label, extra-dimensions-queue-db), sent
 * to faultline as OTLP/JSON: every traces_service_graph_request_total series the connector expects appears with its
 * client, server and connection_type, and no other. Cases load one after another; each is judged by what it adds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

interface ConnectorCase {
  source: string;
  trace: {
    service: string;
    spanId: string;
    parentSpanId: string;
    name: string;
    kind: number;
    attributes?: Record<string, string>;
    ownTrace?: boolean;
  }[];
  expected: { client: string; server: string; connection_type: string; value: number }[];
}

const dir = join(import.meta.dirname, 'testdata', 'connector');
const cases = readdirSync(dir)
  .sort()
  .map((f) => ({ file: f, c: JSON.parse(readFileSync(join(dir, f), 'utf8')) as ConnectorCase }));

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ FAULTLINE_PAIR_WAIT_MS: '200' });
});
afterAll(() => h.stop());

/** request_total by "client|server|connection_type". */
async function requestTotals(): Promise<Map<string, number>> {
  const families = parsePrometheusTextFormat(await (await fetch(`${h.api}/metrics`)).text());
  const out = new Map<string, number>();
  for (const m of families.find((f) => f.name === 'traces_service_graph_request_total')?.metrics ?? []) {
    const l = m.labels ?? {};
    out.set(`${l.client}|${l.server}|${l.connection_type}`, Number(m.value));
  }
  return out;
}

/** The case's spans as one OTLP/JSON request, with its own trace ids and times a minute ago. */
function otlpJson(c: ConnectorCase, caseIndex: number): unknown {
  const start = BigInt(Date.now() - 60_000) * 1_000_000n;
  const traceId = (own: boolean) => `a${String(caseIndex).padStart(2, '0')}${own ? '1' : '0'}`.padEnd(32, '0');
  return {
    resourceSpans: c.trace.map((s) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: s.service } }] },
      scopeSpans: [
        {
          scope: { name: s.service },
          spans: [
            {
              traceId: traceId(s.ownTrace === true),
              spanId: s.spanId,
              parentSpanId: s.parentSpanId,
              name: s.name,
              kind: s.kind,
              startTimeUnixNano: String(start),
              endTimeUnixNano: String(start + 1000n),
              attributes: Object.entries(s.attributes ?? {}).map(([key, v]) => ({ key, value: { stringValue: v } })),
            },
          ],
        },
      ],
    })),
  };
}

describe("the servicegraph connector's testdata", () => {
  for (const [i, { file, c }] of cases.entries()) {
    it(`${file}: the expected request_total series`, async () => {
      const before = await requestTotals();
      const res = await fetch(`${h.otlpHttp}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(otlpJson(c, i)),
      });
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 300)); // the pair wait, so an unpaired client span settles
      await h.app.settleGraph();
      const after = await requestTotals();
      const added = [...after]
        .filter(([k, v]) => v !== (before.get(k) ?? 0))
        .map(([k, v]): [string, number] => [k, v - (before.get(k) ?? 0)]);
      expect(new Map(added)).toEqual(new Map(c.expected.map((e) => [`${e.client}|${e.server}|${e.connection_type}`, e.value])));
    });
  }
});
