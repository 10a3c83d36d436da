/**
 * An incident for people: Markdown to paste into a ticket, and Slack Block Kit for chat (within Slack's limits: at
 * most 50 blocks, 3000 characters per section text). Both name the verdict, the top candidates with their reason
 * and confidence, the path, what else is paging, and links to example traces.
 */
import type { Candidate, Report } from '../rca/report.js';

export interface FormatOptions {
  /** Base URL of faultline's pages (FAULTLINE_PUBLIC_URL), for links; absent: no links to faultline. */
  publicUrl?: string;
  /** A trace UI URL with `{traceId}` (FAULTLINE_TRACE_URL_TEMPLATE); absent: faultline's own trace page. */
  traceUrlTemplate?: string;
}

/** The link settings of a config, for the formats. */
export function formatLinks(config: { publicUrl: string | undefined; traceUrlTemplate: string | undefined }): FormatOptions {
  return {
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    ...(config.traceUrlTemplate ? { traceUrlTemplate: config.traceUrlTemplate } : {}),
  };
}

const SLACK_MAX_BLOCKS = 50;
const SLACK_MAX_TEXT = 3000;
const TOP = 3;

const pct = (x: number): string => `${Math.round(x * 100)}%`;

function verdictLine(r: Report): string {
  const top = r.candidates[0];
  if (r.status !== 'done') return `Analysis ${r.status}${r.error ? `: ${r.error}` : ''}.`;
  if (!top) return r.summary ?? 'No candidates.';
  if (r.verdict === 'origin_found') return `Root cause: ${top.service} (${top.kind}, confidence ${pct(top.confidence)}).`;
  if (r.verdict === 'insufficient_data') return 'Too little data to name a cause.';
  return `Inconclusive: ${r.candidates
    .slice(0, 2)
    .map((c) => c.service)
    .join(' or ')}.`;
}

function traceLink(traceId: string, o: FormatOptions): string {
  if (o.traceUrlTemplate) return o.traceUrlTemplate.replace('{traceId}', traceId);
  return `${o.publicUrl ?? ''}/traces/${traceId}`;
}

function candidateLines(c: Candidate, o: FormatOptions): string[] {
  const lines = [
    `${c.rank}. ${c.service} (${c.kind}, ${c.verdict}, confidence ${pct(c.confidence)}): ${c.reason}`,
    `   path: ${c.path.join(' -> ')}`,
  ];
  for (const change of c.evidence.changes ?? [])
    lines.push(`   changed: ${change.attribute} ${change.from || '(none)'} -> ${change.to}, first seen ${change.firstSeen}`);
  if (c.exemplars.length > 0)
    lines.push(`   example traces: ${c.exemplars.map((e) => `${traceLink(e.traceId, o)}${e.error ? ' (failed there)' : ''}`).join(', ')}`);
  return lines;
}

export function incidentMarkdown(r: Report, o: FormatOptions = {}): string {
  const lines = [
    `## ${r.alert?.alertname ?? 'Incident'} on ${r.service}${r.environment ? ` (${r.environment})` : ''}`,
    '',
    `**${verdictLine(r)}**`,
    '',
    `- Window: ${r.window.start} to ${r.window.end} (baseline ${r.baseline.start} to ${r.baseline.end})`,
    `- Alert: ${r.alertStatus ?? 'firing'}${r.alert ? `, started ${r.alert.startsAt}` : ''}${r.durationSeconds ? `, lasted ${Math.round(r.durationSeconds / 60)} min` : ''}`,
    ...(r.alsoPaging && r.alsoPaging.length > 0 ? [`- Also paging: ${r.alsoPaging.join(', ')}`] : []),
    ...(o.publicUrl ? [`- Incident: ${o.publicUrl}/incidents/${r.id}`] : []),
    '',
    '### Candidates',
    ...r.candidates.slice(0, TOP).flatMap((c) => candidateLines(c, o)),
  ];
  if (r.summary) lines.push('', `_${r.summary}_`);
  return lines.join('\n') + '\n';
}

type Block = { type: string; text?: { type: string; text: string }; elements?: { type: string; text: string }[] };

const section = (text: string): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: text.length > SLACK_MAX_TEXT ? `${text.slice(0, SLACK_MAX_TEXT - 1)}…` : text },
});

export function incidentSlack(r: Report, o: FormatOptions = {}): { text: string; blocks: Block[] } {
  const title = `${r.alert?.alertname ?? 'Incident'} on ${r.service}${r.environment ? ` (${r.environment})` : ''}`;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
    section(`*${verdictLine(r)}*${r.alsoPaging && r.alsoPaging.length > 0 ? `\nAlso paging: ${r.alsoPaging.join(', ')}` : ''}`),
    ...r.candidates.slice(0, TOP).map((c) => section(candidateLines(c, o).join('\n'))),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Window ${r.window.start} to ${r.window.end}${o.publicUrl ? ` · <${o.publicUrl}/incidents/${r.id}|open the incident>` : ''}`,
        },
      ],
    },
  ];
  return { text: `${title}: ${verdictLine(r)}`, blocks: blocks.slice(0, SLACK_MAX_BLOCKS) };
}
