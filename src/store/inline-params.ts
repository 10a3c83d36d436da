/**
 * Renders a statement's `{name:Identifier}` and `{name:String}` placeholders as SQL literals, for the one statement
 * that cannot be bound by the engine without a cost: the embedded store's span insert. chdb-node runs every call
 * that binds parameters one at a time process-wide, so inserts bound that way would wait behind every read (and
 * every read behind them) even on connections of their own. Only faultline's own values go through here (a table
 * name and a staging-file path it generated); everything a client sends is still bound as a query parameter.
 */

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*):([^{}]+)\}/g;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function inlineParams(sql: string, params: Readonly<Record<string, string>>): string {
  return sql.replace(PLACEHOLDER, (_m, name: string, type: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for {${name}:${type}}`);
    if (type === 'Identifier') {
      if (!IDENTIFIER.test(value)) throw new Error(`not a plain identifier for {${name}:Identifier}: ${JSON.stringify(value)}`);
      return value;
    }
    if (type === 'String') return stringLiteral(value);
    throw new Error(`{${name}:${type}}: only Identifier and String placeholders are rendered inline`);
  });
}

/** A ClickHouse string literal: backslashes and quotes escaped, control characters as escapes, nothing else changed. */
function stringLiteral(value: string): string {
  let out = "'";
  for (const ch of value) {
    if (ch === '\\' || ch === "'") out += '\\' + ch;
    else if (ch < ' ') out += '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + "'";
}
