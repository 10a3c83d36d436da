/**
 * An incident for people: Markdown to paste into a ticket, and Slack Block Kit for chat (within Slack's limits: at
 * most 50 blocks, 3000 characters per section text, 2000 per context element, 75 per button label). Both lead with
 * the verdict in words (verdict-words.ts, as the pages say it), then the named origin once with its evidence, what
 * changed and labelled example traces, then the other candidates. Links are absolute or absent: without a base URL
 * (FAULTLINE_PUBLIC_URL, or the address an API request came to) the message says links need the setting.
 */
import type { Candidate, Report } from '../rca/report.js';
import { verdictWords } from '../rca/verdict-words.js';
import { ARROW, fmtMs, fmtPair, fmtPct, fmtUtc, shownNode } from '../shown-figures.js';

export interface FormatOptions {
  /** Base URL of faultline's pages (FAULTLINE_PUBLIC_URL, or the request's own address); absent: no links to faultline. */
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

const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const SLACK_MAX_BLOCKS = 50;
const SLACK_MAX_TEXT = 3000;
const OTHERS = 3;
export const NO_LINKS_NOTE = 'Links need FAULTLINE_PUBLIC_URL (the address people open faultline at).';

/**
 * Names, reasons and summaries come from span data anyone who can send spans controls: escaped for the format they
 * land in, so a service named `<!channel> <https://evil|log in>` pings nobody and links nowhere.
 */
type Escape = (text: string) => string;
/** Slack mrkdwn: `&`, `<` and `>` are its control characters (https://api.slack.com/reference/surfaces/formatting). */
export const escapeSlack: Escape = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Markdown: every character that can open emphasis, a link, an image, code, HTML or a table cell, backslashed. */
export const escapeMarkdown: Escape = (t) => t.replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`);

/** A link in the target format: `[label](url)` or Slack's `<url|label>`. */
type Link = (url: string, label: string) => string;
const markdownLink: Link = (url, label) => `[${label}](${url})`;
const slackLink: Link = (url, label) => `<${url}|${label}>`;

function traceUrl(traceId: string, o: FormatOptions): string | undefined {
  if (o.traceUrlTemplate) return o.traceUrlTemplate.replace('{traceId}', traceId);
  return o.publicUrl ? `${o.publicUrl}/traces/${traceId}` : undefined;
}

/** Example traces labelled for what they show: the slowest in the window, and one that failed here. */
export function exemplarLabels(c: Candidate): { traceId: string; label: string }[] {
  let slowest = false;
  return c.exemplars.map((x) => {
    if (x.error) return { traceId: x.traceId, label: `failed here (${fmtMs(x.durationMs)})` };
    const label = slowest ? `example (${fmtMs(x.durationMs)})` : `slowest in the window (${fmtMs(x.durationMs)})`;
    slowest = true;
    return { traceId: x.traceId, label };
  });
}

/** The origin's (or leading suspect's) evidence lines, each once. */
function originLines(c: Candidate, o: FormatOptions, esc: Escape, link: Link): string[] {
  const e = c.evidence;
  const lines = [`Path: ${c.path.map((p) => esc(shownNode(p))).join(` ${ARROW} `)}`];
  lines.push(`P99 ${fmtPair(e.p99Ms, fmtMs)}, errors ${fmtPair(e.errorRate, fmtPct)}`);
  for (const ch of e.changes ?? [])
    lines.push(`Changed: ${esc(ch.attribute)} ${esc(ch.from || '(none)')} ${ARROW} ${esc(ch.to)}, first seen ${fmtUtc(ch.firstSeen)}`);
  const traces = exemplarLabels(c)
    .map((x) => ({ url: traceUrl(x.traceId, o), label: x.label }))
    .filter((x): x is { url: string; label: string } => x.url !== undefined);
  if (traces.length > 0) lines.push(`Example traces: ${traces.map((x) => link(x.url, x.label)).join(', ')}`);
  // The reason last: it is the longest part, and a cut (Slack's 3000 characters) then loses only its end.
  lines.push(`Why: ${esc(cut(c.reason, 1500))}`);
  return lines;
}

function otherLine(c: Candidate, esc: Escape): string {
  const role = c.verdict === 'victim' ? 'affected' : c.verdict === 'origin' ? 'origin' : c.verdict;
  return `${c.rank}. ${esc(shownNode(c.service))} (${c.kind}, ${role}): ${esc(c.reason)}`;
}

export function incidentMarkdown(r: Report, o: FormatOptions = {}): string {
  const esc = escapeMarkdown;
  const top = r.candidates[0];
  const lines = [
    `## ${esc(r.alert?.alertname ?? 'Incident')} on ${esc(r.service)}${r.environment ? ` (${esc(r.environment)})` : ''}`,
    '',
    `**${verdictWords(r, esc).line}**`,
    '',
    ...(top && r.status === 'done' ? originLines(top, o, esc, markdownLink).map((l) => `- ${l}`) : []),
    `- Window: ${r.window.start} to ${r.window.end} (baseline ${r.baseline.start} to ${r.baseline.end})`,
    `- Alert: ${r.alertStatus ?? 'firing'}${r.alert ? `, started ${r.alert.startsAt}` : ''}${r.durationSeconds ? `, lasted ${Math.round(r.durationSeconds / 60)} min` : ''}`,
    ...(r.slo
      ? [`- SLO: ${esc(r.slo.name)} (${r.slo.objective}%), burning ${r.slo.burnRate?.toFixed(1) ?? 'n/a'}x over ${r.slo.burnWindow}`]
      : []),
    ...(r.alsoPaging && r.alsoPaging.length > 0 ? [`- Also paging: ${r.alsoPaging.map(esc).join(', ')}`] : []),
    o.publicUrl ? `- Incident: ${o.publicUrl}/incidents/${r.id}` : `- ${NO_LINKS_NOTE}`,
  ];
  const others = r.candidates.slice(1, 1 + OTHERS);
  if (others.length > 0) lines.push('', '### Other candidates', ...others.map((c) => otherLine(c, esc)));
  return lines.join('\n') + '\n';
}

type TextObject = { type: string; text: string; emoji?: boolean };
type Block = {
  type: string;
  text?: TextObject;
  elements?: (TextObject | { type: 'button'; text: TextObject; url: string; style?: string; action_id: string })[];
};

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: cut(text, SLACK_MAX_TEXT) } });

export function incidentSlack(r: Report, o: FormatOptions = {}): { text: string; blocks: Block[] } {
  const esc = escapeSlack;
  const words = verdictWords(r, esc);
  const top = r.candidates[0];
  // The header is plain text (Slack shows it as written); everything else is mrkdwn.
  const title = `${r.alert?.alertname ?? 'Incident'} on ${r.service}${r.environment ? ` (${r.environment})` : ''}`;
  const incidentUrl = o.publicUrl ? `${o.publicUrl}/incidents/${r.id}` : undefined;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(title, 150) } },
    section(
      [
        `*${words.line}*`,
        ...(r.alsoPaging && r.alsoPaging.length > 0 ? [`Also paging: ${r.alsoPaging.map(esc).join(', ')}`] : []),
        ...(top && r.status === 'done' ? originLines(top, o, esc, slackLink) : []),
      ].join('\n'),
    ),
  ];
  const others = r.candidates.slice(1, 1 + OTHERS);
  if (others.length > 0) blocks.push(section(['*Other candidates*', ...others.map((c) => otherLine(c, esc))].join('\n')));
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: cut(
          `Window ${r.window.start} to ${r.window.end}${r.slo ? ` · SLO ${esc(r.slo.name)} burning ${r.slo.burnRate?.toFixed(1) ?? 'n/a'}x` : ''}${incidentUrl ? '' : ` · ${NO_LINKS_NOTE}`}`,
          2000,
        ),
      },
    ],
  });
  if (incidentUrl)
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open incident', emoji: false },
          url: incidentUrl,
          style: 'primary',
          action_id: 'open-incident',
        },
      ],
    });
  return { text: `${esc(title)}: ${words.line}`, blocks: blocks.slice(0, SLACK_MAX_BLOCKS) };
}
