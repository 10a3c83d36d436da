/** The hand-off formats stay within Slack's limits whatever the report, and links follow the configured URLs. */
import { describe, expect, it } from 'vitest';
import { incidentMarkdown, incidentSlack } from '../../src/api/incident-formats.js';
import { loadConfig } from '../../src/config.js';
import type { Candidate, Report } from '../../src/rca/report.js';
import { candidateFixture } from '../helpers/candidate.js';

const candidate = (i: number): Candidate =>
  candidateFixture({
    rank: i + 1,
    service: `svc-${i}`,
    score: 1 / (i + 1),
    confidence: i === 0 ? 0.93 : 0.01,
    exemplars: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), durationMs: 1234, error: i === 0 }],
    verdict: i === 0 ? 'origin' : 'normal',
    reason: 'x'.repeat(5000),
  });

const report: Report = {
  id: 'inc_1',
  status: 'done',
  service: 'frontend',
  verdict: 'origin_found',
  window: { start: '2026-11-26T08:00:00.000Z', end: '2026-11-26T08:15:00.000Z' },
  baseline: { start: '2026-11-26T07:00:00.000Z', end: '2026-11-26T08:00:00.000Z' },
  candidates: Array.from({ length: 80 }, (_, i) => candidate(i)),
  graph: { nodes: [], edges: [] },
  alsoPaging: ['checkout', 'cart'],
  createdAt: '2026-11-26T08:15:00.000Z',
  updatedAt: '2026-11-26T08:15:01.000Z',
};

describe('incident hand-off formats', () => {
  it('Slack: at most 50 blocks, 3000 characters per section, the root cause in the fallback text', () => {
    const s = incidentSlack(report);
    expect(s.blocks.length).toBeLessThanOrEqual(50);
    for (const b of s.blocks) if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    expect(s.text).toBe('Incident on frontend: Root cause found: svc-0 (service), confidence 93 %.');
    expect(JSON.stringify(s.blocks)).toContain('Also paging: checkout, cart');
  });

  it('never a relative link: with a base URL every link is absolute, without one the message says links need it', () => {
    const hrefs = (text: string): string[] => [...text.matchAll(/\]\(([^)]+)\)|<([^|>]+)\|/g)].map((m) => m[1] ?? m[2]!);
    const withBase = { publicUrl: 'https://faultline.example.com' };
    const md = incidentMarkdown(report, withBase);
    const slack = JSON.stringify(incidentSlack(report, withBase));
    const links = [...hrefs(md), ...hrefs(slack), ...[...slack.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!)];
    expect(links.length).toBeGreaterThan(2);
    for (const l of links) expect(l).toMatch(/^https:\/\/faultline\.example\.com\//);
    // Slack: <url|label> links with labels that say what the trace shows, and an "Open incident" button.
    expect(slack).toContain(`<https://faultline.example.com/traces/${'ab'.repeat(16)}|failed here (1.23 s)>`);
    expect(incidentSlack(report, withBase).blocks.at(-1)).toMatchObject({
      type: 'actions',
      elements: [{ type: 'button', text: { text: 'Open incident' }, url: 'https://faultline.example.com/incidents/inc_1' }],
    });
    for (const out of [incidentMarkdown(report), JSON.stringify(incidentSlack(report))]) {
      expect(out).not.toMatch(/\(\/|"\/|<\/|\/traces\/|\/incidents\//);
      expect(out).toContain('Links need FAULTLINE_PUBLIC_URL');
    }
  });

  it('Markdown names the origin once, with its evidence, then the other candidates; no enum, never 100 %', () => {
    const sure = { ...report, candidates: [{ ...report.candidates[0]!, confidence: 1 }, ...report.candidates.slice(1)] };
    const md = incidentMarkdown(sure, { publicUrl: 'https://f.example' });
    expect(md).toContain('**Root cause found: svc-0 (service), confidence > 99 %.**');
    expect(md).not.toMatch(/origin_found|100 ?%/);
    expect(md.match(/svc-0/g)).toHaveLength(2); // the verdict line and the path
    expect(
      md
        .split('\n')
        .filter((l) => /^\d+\. /.test(l))
        .map((l) => l.split(' ')[1]),
    ).toEqual(['svc-1', 'svc-2', 'svc-3']);
  });

  it('links go to the trace UI template and the public URL when configured', () => {
    const c = loadConfig({
      FAULTLINE_PUBLIC_URL: 'https://faultline.example.com/',
      FAULTLINE_TRACE_URL_TEMPLATE: 'https://grafana.example.com/explore?traceId={traceId}',
    });
    const md = incidentMarkdown(report, { publicUrl: c.publicUrl!, traceUrlTemplate: c.traceUrlTemplate! });
    expect(md).toContain(`[failed here (1.23 s)](https://grafana.example.com/explore?traceId=${'ab'.repeat(16)})`);
    expect(md).toContain('- Incident: https://faultline.example.com/incidents/inc_1');
    expect(md.split('\n').filter((l) => /^\d+\. /.test(l))).toHaveLength(3);
    expect(() => loadConfig({ FAULTLINE_TRACE_URL_TEMPLATE: 'https://grafana.example.com/explore' })).toThrow(/containing \{traceId\}/);
  });

  it('a hostile service name pings nobody in Slack and links nowhere in Markdown', () => {
    const evil = '<!channel> <https://evil.example/login|Faultline: re-enter your SSO password>';
    const top = { ...candidate(0), service: evil, path: ['frontend', evil], reason: `${evil} adds 3 s [click](https://evil.example)` };
    const r: Report = { ...report, service: evil, candidates: [top], alsoPaging: [evil], summary: `${evil} is the root cause` };
    const slack = incidentSlack(r);
    const mrkdwn = [
      slack.text,
      ...slack.blocks.filter((b) => b.type !== 'header').map((b) => b.text?.text ?? JSON.stringify(b.elements)),
    ].join('\n');
    expect(mrkdwn).not.toMatch(/<!channel>|<https:\/\/evil/);
    expect(mrkdwn).toContain('&lt;!channel&gt; &lt;https://evil.example/login|Faultline: re-enter your SSO password&gt;');
    // The header block is plain text: Slack shows it as written, without parsing it.
    expect(slack.blocks[0]!.text!.type).toBe('plain_text');
    const md = incidentMarkdown(r);
    expect(md).not.toMatch(/(?<!\\)\[click\]\(/);
    expect(md).not.toMatch(/(?<!\\)<https:/);
    expect(md).toContain('\\<\\!channel\\> \\<https://evil.example/login\\|Faultline: re-enter your SSO password\\>');
  });
});
