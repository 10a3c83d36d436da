/** Log lines: JSON, the component that wrote them, an error's cause always, its stack on error lines and at debug. */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

const capture = (level: 'debug' | 'info') => {
  const lines: Record<string, unknown>[] = [];
  return { lines, log: createLogger(level, (l) => lines.push(JSON.parse(l) as Record<string, unknown>)) };
};

describe('logger', () => {
  it('says which component wrote a line', () => {
    const { lines, log } = capture('info');
    log.child('rca').info('incident opened', { id: 'inc_1' });
    log.info('faultline started');
    expect(lines[0]).toMatchObject({ level: 'info', component: 'rca', msg: 'incident opened', id: 'inc_1' });
    expect(lines[1]).not.toHaveProperty('component');
  });

  it('keeps an error cause on a warning at info, and adds the stack at debug and on error lines', () => {
    const err = new Error('the store is unavailable (insert into otel_traces); retry later', {
      cause: new Error('Code: 243. Not enough space'),
    });
    const info = capture('info');
    info.log.child('store').warn('span insert failed', { err });
    expect(info.lines[0]!.err).toEqual({
      name: 'Error',
      message: err.message,
      cause: { name: 'Error', message: 'Code: 243. Not enough space' },
    });
    const debug = capture('debug');
    debug.log.warn('span insert failed', { err });
    expect((debug.lines[0]!.err as { stack: string }).stack).toMatch(/log\.test\.ts/);
    info.log.error('incident analysis failed', { err });
    expect((info.lines[1]!.err as { stack: string; cause: unknown }).stack).toMatch(/log\.test\.ts/);
    expect((info.lines[1]!.err as { cause: unknown }).cause).toMatchObject({ message: 'Code: 243. Not enough space' });
  });
});
