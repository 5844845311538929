// Broken QC blocks through the real CLI (`validate --format json`): each is an error with the
// right code at the right line of the right file, all found in one run.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { describeWithShared, SHARED } from '../helpers/shared.js';
import { MINIMAL_DATASET, MINIMAL_PROJECT, writeCatalog } from '../helpers/write-catalog.js';

interface Case {
  name: string;
  /** The dataset's `qc:` block (MINIMAL_DATASET has the variables time, station and temp). */
  qc: string;
  code: string;
  /** The error is on the first line containing this text, at the column where it starts (or at `col`): a key for a problem of a whole value. */
  at: string;
  col?: number;
}

const CASES: Case[] = [
  { name: 'misspelt test', qc: 'qartod:\n  contexts:\n    - streams:\n        temp:\n          qartod:\n            gross_rnage_test: { fail_span: [0, 1] }', code: 'qc-unknown-test', at: 'gross_rnage_test' },
  { name: 'misspelt parameter', qc: 'streams:\n  temp:\n    qartod:\n      spike_test:\n        suspect_treshold: 2\n        fail_threshold: 3', code: 'qc-unknown-parameter', at: 'suspect_treshold' },
  { name: 'span out of order', qc: 'streams:\n  temp:\n    qartod:\n      gross_range_test:\n        fail_span: [35, -5]', code: 'qc-span-order', at: 'fail_span' },
  { name: 'fail_span not containing suspect_span', qc: 'streams:\n  temp:\n    qartod:\n      gross_range_test:\n        fail_span: [0, 30]\n        suspect_span: [-2, 25]', code: 'qc-span-containment', at: 'suspect_span' },
  { name: 'span out of order, as a block list', qc: 'streams:\n  temp:\n    qartod:\n      gross_range_test:\n        suspect_span:\n          - 220\n          - 10\n        fail_span: [0, 250]', code: 'qc-span-order', at: 'suspect_span' },
  { name: 'non-numeric threshold', qc: 'streams:\n  temp:\n    qartod:\n      spike_test: { suspect_threshold: high, fail_threshold: 3 }', code: 'qc-wrong-type', at: 'high' },
  { name: 'unknown test in a flow mapping', qc: 'streams: { temp: { qartod: { rate_of_change: { threshold: 0.1 } } } }', code: 'qc-unknown-test', at: 'rate_of_change:' },
  { name: 'stream that is not a variable', qc: 'streams:\n  temperature:\n    qartod:\n      gross_range_test: { fail_span: [0, 30] }', code: 'qc-unknown-stream', at: 'temperature:' },
  { name: 'runtime input', qc: 'streams:\n  temp:\n    qartod:\n      gross_range_test:\n        fail_span: [0, 30]\n        inp: [1, 2]', code: 'qc-runtime-input', at: 'inp:' },
  { name: 'window ending before starting', qc: 'contexts:\n  - window:\n      starting: 2021-01-01T00:00:00Z\n      ending: 2020-01-01T00:00:00Z\n    streams: { temp: { qartod: { gross_range_test: { fail_span: [0, 30] } } } }', code: 'qc-bad-window', at: '2020-01-01T00:00:00Z' },
  { name: 'window with an unknown key', qc: 'window: { from: 2020-01-01T00:00:00Z }\nstreams: { temp: { qartod: { gross_range_test: { fail_span: [0, 30] } } } }', code: 'qc-bad-window', at: 'from:' },
  { name: 'missing required parameter', qc: 'streams:\n  temp:\n    qartod:\n      rate_of_change_test: { fail_threshold: 1 }', code: 'qc-missing-parameter', at: 'rate_of_change_test' },
  { name: 'unknown profile', qc: 'profile: temprature\nstreams: [temp]', code: 'qc-unknown-profile', at: 'temprature' },
  { name: 'bbox under ioos_qc 3', qc: 'streams: { temp: { qartod: { location_test: { bbox: [-71, 42, -69, 44] } } } }', code: 'qc-version-mismatch', at: 'bbox' },
];

const PROJECT = `${MINIMAL_PROJECT}qc_profiles:
  temperature:
    qartod:
      gross_range_test: { suspect_span: [-2, 30], fail_span: [-5, 35] }
  broken:
    qartod:
      spike_test: { suspect_threshold: 5, fail_threshold: 2 }
`;

const scratch = tempDir('steller-qc-cli-');
afterAll(() => scratch.cleanup());

const fileOf = (i: number) => `datasets/qc/case_${String(i).padStart(2, '0')}.yaml`;
const textOf = (c: Case) => `${MINIMAL_DATASET}qc:\n${c.qc.replace(/^/gm, '  ')}\n`;

interface JsonDiagnostic { code: string; file: string; line: number; col: number; message: string; hint?: string }
let report: { ok: boolean; errors: JsonDiagnostic[]; warnings: JsonDiagnostic[] };
let status: number;

describe('broken QC blocks, through `steller validate --format json`', () => {
  beforeAll(() => {
    const files: Record<string, string> = { 'steller.yaml': PROJECT };
    CASES.forEach((c, i) => { files[fileOf(i)] = textOf(c); });
    writeCatalog(scratch.dir, files);
    const result = runCli(['validate', '--catalog', scratch.dir, '--format', 'json']);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    status = result.status;
    report = JSON.parse(result.stdout);
  });

  it('exits 1', () => {
    expect(status).toBe(1);
    expect(report.ok).toBe(false);
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', (_, c, i) => {
    const text = textOf(c);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes(c.at)) + 1;
    const col = c.col ?? lines[line - 1].indexOf(c.at) + 1;
    const errors = report.errors.filter((e) => e.file === fileOf(i));
    expect(errors.map((e) => ({ code: e.code, line: e.line, col: e.col }))).toContainEqual({ code: c.code, line, col });
  });

  it('a broken profile is reported once, in steller.yaml', () => {
    const errors = report.errors.filter((e) => e.file === 'steller.yaml');
    expect(errors).toMatchObject([{ code: 'qc-threshold-order', line: PROJECT.split('\n').findIndex((l) => l.includes('suspect_threshold: 5')) + 1 }]);
  });
});

describeWithShared('the seed record', () => {
  it('validates (exit 0) with QC warnings for its flat-line thresholds, not errors', () => {
    const result = runCli(['validate', '--catalog', join(SHARED, 'catalogs/seed'), '--format', 'json']);
    const seed = JSON.parse(result.stdout) as typeof report;
    expect(result.status).toBe(0);
    const qc = seed.warnings.filter((w) => w.code.startsWith('qc-')).map((w) => `${w.line}:${w.code}`);
    expect(qc).toEqual(['23:qc-aggregate-ignored', '34:qc-test-never-flags', '35:qc-flat-line-subsecond', '36:qc-flat-line-subsecond']);
  });
});
