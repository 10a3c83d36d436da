/**
 * Label values on /metrics have a bounded length: span names and service names come from whoever sends spans, and
 * a few thousand 64 KB names would make every scrape hundreds of MB (and the series cache hold them all). Longer
 * values are cut, with a marker, as Tempo's generator does. Short values are returned as they are (no copy).
 */
export const MAX_NAME_LABEL_CHARS = 256;
export const MAX_SPAN_NAME_LABEL_CHARS = 256;
const MARKER = '…[truncated]';

export function boundLabel(value: string, max: number): string {
  return value.length <= max ? value : value.slice(0, max - MARKER.length) + MARKER;
}
