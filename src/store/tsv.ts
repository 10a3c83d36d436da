/** TabSeparated encoding for the hot insert path (ClickHouse parses it faster than JSON, and it is cheaper to build). */

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const NEEDS_QUOTED_ESCAPE = /[\\'\t\n\r]/;

/** A top-level TSV string field. */
export function tsvString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

function quoted(s: string): string {
  const body = NEEDS_QUOTED_ESCAPE.test(s) ? s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
  return `'${body}'`;
}

/** A Map(String, String) field: `{'k':'v',...}`. Its quoted strings carry their own escapes, so the field needs no TSV escaping on top. */
export function tsvMap(m: Record<string, string>): string {
  let out = '{';
  let first = true;
  for (const k in m) {
    if (!first) out += ',';
    first = false;
    out += quoted(k) + ':' + quoted(m[k]!);
  }
  return out + '}';
}
