#!/usr/bin/env node
/**
 * The faultline command: `faultline serve` runs the worker until SIGTERM/SIGINT; `faultline config` shows the settings
 * in effect and where each came from; `faultline config --docs` lists them all with defaults, as Markdown.
 */
import { ConfigError, loadConfig } from './config.js';
import { settingsMarkdown } from './settings.js';
import { effectiveSettingsText } from './effective-settings.js';
import { createLogger } from './log.js';
import { startFaultline } from './app.js';

const USAGE = `usage: faultline serve | faultline config

serve    runs the OTLP receivers, the store, the graph, root-cause analysis and the API
config   prints every setting (FAULTLINE_* environment variables) with the value in effect and its source
         (environment, file or default); --docs prints defaults and meanings as Markdown instead`;

async function main(argv: string[]): Promise<number> {
  const command = argv[0] ?? 'serve';
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (command === 'config') {
    if (argv[1] === '--docs') {
      process.stdout.write(settingsMarkdown() + '\n');
      return 0;
    }
    try {
      process.stdout.write(effectiveSettingsText(process.env) + '\n');
      return 0;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      process.stderr.write(`faultline: configuration error: ${err.message}\n`);
      return 2;
    }
  }
  if (command !== 'serve') {
    process.stderr.write(`faultline: unknown command ${JSON.stringify(command)}\n${USAGE}\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`faultline: configuration error: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  let app;
  try {
    app = await startFaultline(config, log);
  } catch (err) {
    log.error('faultline failed to start', { err });
    process.stderr.write(`faultline: ${(err as Error).message}\n`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      log.info('stopping: flushing accepted spans', { signal });
      app.close().then(
        () => {
          log.info('stopped');
          resolve();
        },
        (err: unknown) => {
          log.error('error while stopping', { err });
          process.exitCode = 1;
          resolve();
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return process.exitCode === undefined ? 0 : Number(process.exitCode);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`faultline: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
