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

/**
 * Names, reasons and summaries come from span data anyone who can send spans controls: escaped for the format they
 * land in, so a service named `<!channel> <https://evil|log in>` pings nobody and links nowhere.
 */
type Escape = (text: string) => string;
/** Slack mrkdwn: `&`, `<` and `>` are its control characters (https://api.slack.com/reference/surfaces/formatting). */
export const escapeSlack: Escape = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Markdown: every character that can open emphasis, a link, an image, code, HTML or a table cell, backslashed. */
export const escapeMarkdown: Escape = (t) => t.replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`);

function verdictLine(r: Report, esc: Escape): string {
  const top = r.candidates[0];
  if (r.status !== 'done') return `Analysis ${r.status}${r.error ? `: ${esc(r.error)}` : ''}.`;
  if (!top) return esc(r.summary ?? 'No candidates.');
  if (r.verdict === 'origin_found') return `Root cause: ${esc(top.service)} (${top.kind}, confidence ${pct(top.confidence)}).`;
  if (r.verdict === 'insufficient_data') return 'Too little data to name a cause.';
  return `Inconclusive: ${r.candidates
    .slice(0, 2)
    .map((c) => esc(c.service))
    .join(' or ')}.`;
}

function traceLink(traceId: string, o: FormatOptions): string {
  if (o.traceUrlTemplate) return o.traceUrlTemplate.replace('{traceId}', traceId);
  return `${o.publicUrl ?? ''}/traces/${traceId}`;
}

function candidateLines(c: Candidate, o: FormatOptions, esc: Escape): string[] {
  const lines = [
    `${c.rank}. ${esc(c.service)} (${c.kind}, ${c.verdict}, confidence ${pct(c.confidence)}): ${esc(c.reason)}`,
    `   path: ${c.path.map(esc).join(' -> ')}`,
  ];
  const ops = c.evidence.topOperations ?? [];
  if (ops.length > 0)
    lines.push(`   operations: ${ops.map((o) => `${esc(o.name)} ${o.msPerRequest.baseline} -> ${o.msPerRequest.current} ms`).join(', ')}`);
  for (const change of c.evidence.changes ?? [])
    lines.push(`   changed: ${esc(change.attribute)} ${esc(change.from || '(none)')} -> ${esc(change.to)}, first seen ${change.firstSeen}`);
  if (c.exemplars.length > 0)
    lines.push(`   example traces: ${c.exemplars.map((e) => `${traceLink(e.traceId, o)}${e.error ? ' (failed there)' : ''}`).join(', ')}`);
  return lines;
}

export function incidentMarkdown(r: Report, o: FormatOptions = {}): string {
  const esc = escapeMarkdown;
  const lines = [
    `## ${esc(r.alert?.alertname ?? 'Incident')} on ${esc(r.service)}${r.environment ? ` (${esc(r.environment)})` : ''}`,
    '',
    `**${verdictLine(r, esc)}**`,
    '',
    `- Window: ${r.window.start} to ${r.window.end} (baseline ${r.baseline.start} to ${r.baseline.end})`,
    `- Alert: ${r.alertStatus ?? 'firing'}${r.alert ? `, started ${r.alert.startsAt}` : ''}${r.durationSeconds ? `, lasted ${Math.round(r.durationSeconds / 60)} min` : ''}`,
    ...(r.alsoPaging && r.alsoPaging.length > 0 ? [`- Also paging: ${r.alsoPaging.map(esc).join(', ')}`] : []),
    ...(o.publicUrl ? [`- Incident: ${o.publicUrl}/incidents/${r.id}`] : []),
    '',
    '### Candidates',
    ...r.candidates.slice(0, TOP).flatMap((c) => candidateLines(c, o, esc)),
  ];
  if (r.summary) lines.push('', `_${esc(r.summary)}_`);
  return lines.join('\n') + '\n';
}

type Block = { type: string; text?: { type: string; text: string }; elements?: { type: string; text: string }[] };

const section = (text: string): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: text.length > SLACK_MAX_TEXT ? `${text.slice(0, SLACK_MAX_TEXT - 1)}…` : text },
});

export function incidentSlack(r: Report, o: FormatOptions = {}): { text: string; blocks: Block[] } {
  const esc = escapeSlack;
  // The header is plain text (Slack shows it as written); everything else is mrkdwn.
  const title = `${r.alert?.alertname ?? 'Incident'} on ${r.service}${r.environment ? ` (${r.environment})` : ''}`;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
    section(
      `*${verdictLine(r, esc)}*${r.alsoPaging && r.alsoPaging.length > 0 ? `\nAlso paging: ${r.alsoPaging.map(esc).join(', ')}` : ''}`,
    ),
    ...r.candidates.slice(0, TOP).map((c) => section(candidateLines(c, o, esc).join('\n'))),
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
  return { text: `${esc(title)}: ${verdictLine(r, esc)}`, blocks: blocks.slice(0, SLACK_MAX_BLOCKS) };
}
