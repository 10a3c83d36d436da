/**
 * The SLO file in effect. Read at start (an invalid file stops the start); re-read on SIGHUP and when its
 * modification time changes (checked on a timer). An invalid new version keeps the one in effect and says why.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Logger } from '../log.js';
import { parseSloFile, SloFileError, type SloDefinition, type SloFile } from './slo-file.js';

const EMPTY: SloFile = { slos: [], actions: [] };

export class SloRegistry {
  private file: SloFile = EMPTY;
  private mtimeMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly onHangup = (): void => void this.reload('SIGHUP');
  /** The last reload's refusal, shown on the SLO API until a valid version loads. */
  lastError: string | undefined;

  private constructor(
    readonly path: string | undefined,
    private readonly log: Logger,
  ) {}

  /** Reads `path` (undefined: no SLOs); throws SloFileError naming the file, the SLO and the field. */
  static async open(path: string | undefined, log: Logger): Promise<SloRegistry> {
    const registry = new SloRegistry(path, log);
    if (path) {
      const { file, mtimeMs } = await readSloFile(path);
      registry.file = file;
      registry.mtimeMs = mtimeMs;
      log.info('SLO file loaded', { path, slos: file.slos.length, actions: file.actions.length });
    }
    return registry;
  }

  get slos(): readonly SloDefinition[] {
    return this.file.slos;
  }

  get actions(): SloFile['actions'] {
    return this.file.actions;
  }

  find(name: string): SloDefinition | undefined {
    return this.file.slos.find((s) => s.name === name);
  }

  /** Watches for changes: SIGHUP, and the file's modification time every `intervalMs`. */
  start(intervalMs: number): void {
    if (!this.path) return;
    process.on('SIGHUP', this.onHangup);
    this.timer = setInterval(() => void this.reload('changed'), intervalMs);
    this.timer.unref();
  }

  close(): void {
    process.off('SIGHUP', this.onHangup);
    if (this.timer) clearInterval(this.timer);
  }

  /** Re-reads the file ('changed': only when its modification time moved). True when a new version took effect. */
  async reload(why: 'SIGHUP' | 'changed' | 'request'): Promise<boolean> {
    if (!this.path) return false;
    try {
      if (why === 'changed' && (await stat(this.path)).mtimeMs === this.mtimeMs) return false;
      const { file, mtimeMs } = await readSloFile(this.path);
      this.file = file;
      this.mtimeMs = mtimeMs;
      this.lastError = undefined;
      this.log.info('SLO file reloaded', { path: this.path, why, slos: file.slos.length, actions: file.actions.length });
      return true;
    } catch (err) {
      const message = err instanceof SloFileError ? err.message : `${this.path}: ${(err as Error).message}`;
      if (message !== this.lastError) this.log.warn('SLO file not reloaded: keeping the SLOs in effect', { why, error: message });
      this.lastError = message;
      return false;
    }
  }
}

async function readSloFile(path: string): Promise<{ file: SloFile; mtimeMs: number }> {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(path)).mtimeMs;
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new SloFileError(`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return { file: parseSloFile(text, path), mtimeMs };
}
