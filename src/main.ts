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
import { parseSloFile, SloFileError } from './slo/slo-file.js';
import { burnRateRules, SloRulesError } from './slo/burn-rate-rules.js';
import { metricsFlavor } from './graph/metrics-flavor.js';
import { readFile } from 'node:fs/promises';
import { applyV8Flags } from './v8-flags.js';

const USAGE = `usage: faultline serve | faultline config [--docs] | faultline slo rules [--file PATH] [--windows-scale X]

serve    runs the OTLP receivers, the store, the graph, root-cause analysis and the API
config   prints every setting (FAULTLINE_* environment variables) with the value in effect and its source
         (environment, file or default); --docs prints defaults and meanings as Markdown instead
slo rules  prints Prometheus burn-rate alerting rules for the SLO file (FAULTLINE_SLO_FILE or --file); see docs/slo.md`;

/** `faultline slo rules`: the file's burn-rate rules on stdout; errors name the file, the SLO and the field. */
async function sloCommand(args: string[]): Promise<number> {
  const fail = (msg: string): number => {
    process.stderr.write(`faultline: ${msg}\n`);
    return 2;
  };
  if (args[0] !== 'rules') return fail(`unknown slo command ${JSON.stringify(args[0] ?? '')}\n${USAGE}`);
  let file: string | undefined;
  let scale = 1;
  for (let i = 1; i < args.length; i++) {
    if (args[i] === '--file' && args[i + 1]) file = args[++i];
    else if (args[i] === '--windows-scale' && args[i + 1]) scale = Number(args[++i]);
    else return fail(`unknown argument ${JSON.stringify(args[i])}\n${USAGE}`);
  }
  try {
    const config = loadConfig();
    const path = file ?? config.slo.file;
    if (!path) return fail('no SLO file: set FAULTLINE_SLO_FILE or pass --file PATH');
    const slos = parseSloFile(await readFile(path, 'utf8'), path).slos;
    process.stdout.write(burnRateRules(slos, metricsFlavor(config.graph.metricsFlavor, config.graph.latencyBucketsMs), scale));
    return 0;
  } catch (err) {
    if (err instanceof SloFileError || err instanceof SloRulesError || err instanceof ConfigError) return fail((err as Error).message);
    if ((err as NodeJS.ErrnoException).code) return fail(`${file ?? 'SLO file'}: cannot be read (${(err as NodeJS.ErrnoException).code})`);
    throw err;
  }
}

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
  if (command === 'slo') return sloCommand(argv.slice(1));
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
  applyV8Flags();
  let app;
  try {
    app = await startFaultline(config, log);
  } catch (err) {
    if (err instanceof SloFileError) {
      process.stderr.write(`faultline: invalid SLO file: ${err.message}\n`);
      return 2;
    }
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
