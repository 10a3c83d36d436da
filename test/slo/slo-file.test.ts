/** The SLO file (issue 22): the example loads as written; every invalid file names the file, the SLO and the field. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SLO_WINDOW_MS, parseSloFile, SloFileError } from '../../src/slo/slo-file.js';

const EXAMPLE = join(import.meta.dirname, 'testdata', 'slos.yaml');

describe('parseSloFile', () => {
  it('loads the example with defaults filled in', () => {
    const file = parseSloFile(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
    expect(file.slos.map((s) => s.name)).toEqual(['builder-availability', 'builder-latency', 'checkout-place-order']);
    expect(file.slos[0]).toMatchObject({
      service: 'builder',
      objective: 99.95,
      sli: { type: 'availability' },
      windowMs: DEFAULT_SLO_WINDOW_MS,
    });
    expect(file.slos[1]!.sli).toMatchObject({ type: 'latency', thresholdMs: 800 });
    expect(file.slos[1]!.windowMs).toBe(28 * 86_400_000);
    expect(file.slos[2]).toMatchObject({
      operation: 'PlaceOrder',
      environment: 'prod',
      windowMs: 7 * 86_400_000,
      labels: { team: 'payments' },
    });
    expect(file.actions).toEqual([
      { url: 'http://deployer.example:9000/rollback', minConfidence: 0.9, requireVersionChange: true, dryRun: true, slos: [] },
    ]);
  });

  const base = (slo: string) => `slos:\n  - name: ok\n    service: a\n    objective: 99\n    sli: { type: availability }\n${slo}`;
  it.each([
    ['not YAML', 'slos: [', /f\.yaml: is not valid YAML/],
    ['no list', 'slo: []', /f\.yaml: has unknown field `slo`/],
    [
      'objective 100',
      base('  - name: full\n    service: a\n    objective: 100\n    sli: { type: availability }'),
      /slos\[1\] \(full\): objective must be/,
    ],
    [
      'objective as text',
      base('  - name: txt\n    service: a\n    objective: "99.9%"\n    sli: { type: availability }'),
      /slos\[1\] \(txt\): objective/,
    ],
    [
      'missing service',
      base('  - name: nosvc\n    objective: 99\n    sli: { type: availability }'),
      /slos\[1\] \(nosvc\): service must be/,
    ],
    [
      'bad sli type',
      base('  - name: t\n    service: a\n    objective: 99\n    sli: { type: throughput }'),
      /slos\[1\] \(t\): sli\.type must be availability or latency/,
    ],
    [
      'threshold off the grid',
      base('  - name: lat\n    service: a\n    objective: 99\n    sli: { type: latency, thresholdMs: 805 }'),
      /slos\[1\] \(lat\): sli\.thresholdMs 805 is not on the latency grid .*use 800 or 810/,
    ],
    [
      'bad window',
      base('  - name: w\n    service: a\n    objective: 99\n    sli: { type: availability }\n    window: 5x'),
      /slos\[1\] \(w\): window must be/,
    ],
    [
      'typo in a field',
      base('  - name: typo\n    service: a\n    objectve: 99\n    sli: { type: availability }'),
      /slos\[1\] \(typo\): has unknown field `objectve`/,
    ],
    [
      'duplicate name',
      base('  - name: ok\n    service: b\n    objective: 99\n    sli: { type: availability }'),
      /slos\[1\] \(ok\): name is used by an earlier SLO/,
    ],
    ['action without url', base('actions:\n  - minConfidence: 0.9'), /actions\[0\]: url must be an http\(s\) URL/],
    [
      'action on an unknown SLO',
      base('actions:\n  - url: http://x/\n    slos: [nope]'),
      /actions\[0\]: slos must be a list of SLO names defined in this file/,
    ],
  ])('%s: names the field', (_, text, message) => {
    expect(() => parseSloFile(text, 'f.yaml')).toThrow(SloFileError);
    expect(() => parseSloFile(text, 'f.yaml')).toThrow(message);
  });
});
