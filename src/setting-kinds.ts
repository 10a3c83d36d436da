/**
 * How one setting's text becomes a value: each kind parses, checks bounds and names the variable when it refuses.
 * settings.ts lists the settings with these; loadConfig (config.ts) reads them.
 */
import { readFileSync } from 'node:fs';

export class ConfigError extends Error {}

export type Env = Record<string, string | undefined>;

export interface SettingKind<T> {
  /** The default as someone would write it in the environment ('' when unset). */
  shown: string;
  /** Reads `name` from `env`; throws ConfigError naming it when the text is not a valid value. */
  read(env: Env, name: string): T;
}

const raw = (env: Env, name: string): string | undefined => (env[name] === undefined || env[name] === '' ? undefined : env[name]);

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

/** Durations like `15m`, `90s`, `2h`, `7d`, `500ms`. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * DURATION_UNITS[m[2]!]!;
}

function showDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const)
    if (ms % size === 0 && ms >= size) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

export function text(fallback: string): SettingKind<string> {
  return { shown: fallback, read: (env, name) => raw(env, name) ?? fallback };
}

export function int(fallback: number, min: number, max: number): SettingKind<number> {
  return {
    shown: String(fallback),
    read: (env, name) => {
      const v = raw(env, name);
      if (v === undefined) return fallback;
      if (!/^\d+$/.test(v.trim())) throw new ConfigError(`${name}=${JSON.stringify(v)} is not a whole number`);
      const n = Number(v);
      if (n < min || n > max) throw new ConfigError(`${name}=${v} is out of range [${min}, ${max}]`);
      return n;
    },
  };
}

/** A duration in ms; `min` 0 lets `0s` switch a bound off. */
export function duration(fallbackMs: number, min = 1): SettingKind<number> {
  return {
    shown: showDuration(fallbackMs),
    read: (env, name) => {
      const v = raw(env, name);
      if (v === undefined) return fallbackMs;
      const ms = parseDuration(v);
      if (ms === undefined || ms < min)
        throw new ConfigError(`${name}=${JSON.stringify(v)} is not a duration like 15m, 90s or 2h${min === 0 ? ' (0s: off)' : ''}`);
      return ms;
    },
  };
}

export function list(fallback: readonly string[]): SettingKind<string[]> {
  return {
    shown: fallback.join(','),
    read: (env, name) => {
      const v = raw(env, name);
      if (v === undefined) return [...fallback];
      const items = v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (items.length === 0) throw new ConfigError(`${name} must list at least one name`);
      return items;
    },
  };
}

export function oneOf<T extends string>(allowed: readonly T[], fallback: T): SettingKind<T> {
  return {
    shown: fallback,
    read: (env, name) => {
      const v = raw(env, name);
      if (v === undefined) return fallback;
      if (!(allowed as readonly string[]).includes(v))
        throw new ConfigError(`${name}=${JSON.stringify(v)} must be one of ${allowed.join(', ')}`);
      return v as T;
    },
  };
}

/** Histogram bounds as durations (`2ms,10ms,1s,1m`), strictly increasing; unset: the flavor's own. */
export function durationList(): SettingKind<number[] | undefined> {
  return {
    shown: '',
    read: (env, name) => {
      const v = raw(env, name);
      if (v === undefined) return undefined;
      const ms = v.split(',').map((s) => parseDuration(s));
      if (ms.some((x) => x === undefined || x <= 0) || ms.some((x, i) => i > 0 && x! <= ms[i - 1]!))
        throw new ConfigError(`${name}=${JSON.stringify(v)} must be increasing durations like 5ms,50ms,1s,1m`);
      return ms as number[];
    },
  };
}

export function optionalUrl(): SettingKind<string | undefined> {
  return {
    shown: '',
    read: (env, name) => {
      const v = raw(env, name);
      if (v === undefined) return undefined;
      try {
        const u = new URL(v);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
      } catch {
        throw new ConfigError(`${name}=${JSON.stringify(v)} is not an http(s) URL`);
      }
      return v;
    },
  };
}

/** Comma-separated http(s) URLs; unset: none. */
export function urlList(): SettingKind<string[]> {
  return {
    shown: '',
    read: (env, name) => {
      const v = raw(env, name);
      if (v === undefined) return [];
      return v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .map((u) => optionalUrl().read({ [name]: u }, name)!);
    },
  };
}

/** A name used as a SQL identifier: checked by `pattern`, described by `what` in the error. */
export function identifier(fallback: string | undefined, pattern: RegExp, what: string): SettingKind<string | undefined> {
  return {
    shown: fallback ?? '',
    read: (env, name) => {
      const v = raw(env, name);
      if (v === undefined) return fallback;
      if (!pattern.test(v)) throw new ConfigError(`${name}=${JSON.stringify(v)} ${what}`);
      return v;
    },
  };
}

/** A secret from `NAME` or from the file named by `NAME_FILE` (trimmed), never both. */
export function secret(): SettingKind<string | undefined> {
  return {
    shown: '',
    read: (env, name) => {
      const direct = raw(env, name);
      const file = raw(env, `${name}_FILE`);
      if (direct && file) throw new ConfigError(`set ${name} or ${name}_FILE, not both`);
      if (!file) return direct;
      const content = readFile(`${name}_FILE`, file).toString('utf8').trim();
      if (content === '') throw new ConfigError(`${name}_FILE=${file} is empty`);
      return content;
    },
  };
}

/** The contents of the file a setting names. */
export function fileContents(): SettingKind<Buffer | undefined> {
  return { shown: '', read: (env, name) => (raw(env, name) === undefined ? undefined : readFile(name, raw(env, name)!)) };
}

function readFile(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`${name}=${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

export interface ListenAddress {
  host: string;
  port: number;
}

/** `host:port`, `[v6]:port` or `:port`. Port 0 asks the OS for a free port. */
export function parseListenAddress(text: string): ListenAddress | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

export function address(fallback: string): SettingKind<ListenAddress> {
  return {
    shown: fallback,
    read: (env, name) => {
      const v = raw(env, name) ?? fallback;
      const a = parseListenAddress(v);
      if (!a) throw new ConfigError(`${name}=${JSON.stringify(v)} is not an address like 0.0.0.0:4317`);
      return a;
    },
  };
}
