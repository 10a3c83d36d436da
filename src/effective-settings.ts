/**
 * What `faultline config` prints: every setting with the value this process would run with and where it came from
 * (the environment, a `_FILE`, or the default). Each value is read as `serve` reads it, so a bad one fails here
 * too, naming the variable. Secrets are never printed, and neither is a password inside a URL.
 */
import { SETTINGS, type Setting } from './settings.js';
import type { Env } from './setting-kinds.js';

export interface EffectiveSetting {
  env: string;
  value: string;
  source: 'environment' | 'file' | 'default';
}

const isSet = (env: Env, name: string): boolean => env[name] !== undefined && env[name] !== '';

/** A URL's password replaced by `***`; other text as is. */
function withoutPassword(text: string): string {
  try {
    const u = new URL(text);
    if (u.password === '') return text;
    u.password = '***';
    return u.toString();
  } catch {
    return text;
  }
}

export function effectiveSettings(env: Env): EffectiveSetting[] {
  return Object.values(SETTINGS).map((setting: Setting<unknown>) => {
    setting.kind.read(env, setting.env); // throws ConfigError naming the variable, as `serve` would
    const secret = setting.fileVariant === true;
    if (isSet(env, setting.env))
      return { env: setting.env, value: secret ? '(set, not shown)' : withoutPassword(env[setting.env]!), source: 'environment' };
    if (secret && isSet(env, `${setting.env}_FILE`))
      return { env: setting.env, value: `(from ${env[`${setting.env}_FILE`]}, not shown)`, source: 'file' };
    const shown = setting.shownDefault ?? (setting.kind.shown === '' ? 'unset' : setting.kind.shown);
    return { env: setting.env, value: shown, source: 'default' };
  });
}

/** The effective settings as an aligned text table. */
export function effectiveSettingsText(env: Env): string {
  const rows = effectiveSettings(env);
  const width = Math.max(...rows.map((r) => r.env.length));
  const valueWidth = Math.min(60, Math.max(...rows.map((r) => r.value.length)));
  return rows.map((r) => `${r.env.padEnd(width)}  ${r.value.padEnd(valueWidth)}  ${r.source}`).join('\n');
}
