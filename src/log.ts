/** Structured logs: one JSON object per line on stderr; level from FAULTLINE_LOG_LEVEL. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** The same logger, with `component` on every line it writes (otlp, store, graph, rca, api). */
  child(component: string): Logger;
}

export function isLogLevel(value: string): value is LogLevel {
  return value in ORDER;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l), component?: string): Logger {
  const min = ORDER[level];
  // An error's name, message and cause always; its stack on error lines (something to fix) and at debug level.
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[lvl] < min) return;
    const replacer = lvl === 'error' || min <= ORDER.debug ? errorWithStackReplacer : errorReplacer;
    write(
      JSON.stringify({ time: new Date().toISOString(), level: lvl, ...(component ? { component } : {}), msg, ...fields }, replacer) + '\n',
    );
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (c) => createLogger(level, write, c),
  };
}

function errorWithStackReplacer(key: string, value: unknown): unknown {
  if (value instanceof Error) return { ...(errorReplacer(key, value) as object), stack: value.stack };
  return errorReplacer(key, value);
}

function errorReplacer(_key: string, value: unknown): unknown {
  // The cause is what an operator needs (the engine's message behind a generic client-facing one).
  if (value instanceof Error)
    return { name: value.name, message: value.message, ...(value.cause !== undefined ? { cause: value.cause } : {}) };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** A logger that drops everything, for tests and benches. */
export const silentLogger: Logger = createLogger('error', () => undefined);
