// The benchmark harness end to end on a tiny catalog (the figures are not judged, only that every
// operation ran, said what it did, and landed in the report), plus its measuring parts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GNU_TIME, measure, median, parseGnuTime, parseSelfReport } from '../../bench/measure.js';
import { summarizeProfile, type CpuProfile } from '../../bench/profile.js';
import { REPO, tempDir } from '../helpers/cli.js';

const RUN = join(REPO, 'dist/bench/run.js');
const HAS_BASELINE_PYTHON = spawnSync('python3', ['-c', 'import yaml, jinja2']).status === 0;

function bench(args: string[], dir: string) {
  const results = join(dir, 'results.md');
  const child = spawnSync(process.execPath, [RUN, '--results', results, '--cache', join(dir, 'cache'), ...args], { encoding: 'utf8', timeout: 120_000 });
  return { ...child, report: existsSync(results) ? readFileSync(results, 'utf8') : '' };
}

const row = (report: string, size: number, operation: string) => report.split('\n').find((line) => line.startsWith(`| ${size} | ${operation} |`)) ?? '';

describe('npm run bench (dist/bench/run.js)', () => {
  const scratch = tempDir('steller-bench-run-');
  afterAll(() => scratch.cleanup());

  it('measures validate, build, no-op and five edits, profiles a build, and writes the report', () => {
    const result = bench(['--sizes', '12', '--runs', '1', '--only', 'validate,build,noop,edit,edit-schedule,edit-qc,edit-services,edit-plan,profile'], scratch.dir);
    const { report } = result;
    expect(row(report, 12, 'validate')).toMatch(/\| [\d.]+ \| catalog ok: 12 datasets \|$/);
    expect(row(report, 12, 'build')).toMatch(/\| [\d.]+ \| wrote out: \d+ added, 0 changed, 0 removed/);
    expect(row(report, 12, 'noop')).toMatch(/\| [\d.]+ \| out unchanged/);
    expect(row(report, 12, 'edit')).toMatch(/\| [\d.]+ \| wrote out: 0 added, [1-9]\d* changed, 0 removed/);
    expect(row(report, 12, 'edit-services')).toMatch(/\| [\d.]+ \| wrote out: 0 added, [1-9]\d* changed, 0 removed/);
    expect(row(report, 12, 'edit-qc')).toMatch(/\| [\d.]+ \| wrote out: 0 added, [1-9]\d* changed, 0 removed/);
    expect(row(report, 12, 'edit-schedule')).toMatch(/\| [\d.]+ \| wrote out: 0 added, [1-9]\d* changed, 0 removed/);
    expect(row(report, 12, 'edit-plan')).toMatch(/\| [\d.]+ \| wrote out: 0 added, [1-9]\d* changed, 0 removed/);
    expect(report).toMatch(/\| 12 \| 12 \| [\d.]+ \| buoy \d+, adcp \d+, /);
    for (const what of ['a full build', 'a no-op rebuild', 'a rebuild after one edit']) expect(report).toContain(`## Profile of ${what} at 12 datasets`);
    expect(report).toMatch(/Sampled time: [\d.]+ s\./);
    expect(report).toMatch(/\| `\S+ dist\/(cli|core)\/[a-z/-]+\.js:\d+` \| [\d.]+ \| [\d.]+% \|/);
    for (const what of ['a title', 'a schedule', 'a QC threshold', 'an ERDDAP reload interval', 'an ERDDAP datasetID, which re-plans ERDDAP']) expect(report).toMatch(new RegExp(`\\| one-dataset change under 1 s \\(${what}\\) \\| [\\d.]+ s \\| (yes|\\*\\*no\\*\\*) \\|`));
    expect(report).not.toMatch(/\/tmp\/|steller-bench-/);
    // The catalog is cached for the next run, under a name that changes with the generator.
    expect(readdirSync(join(scratch.dir, 'cache'))).toEqual([expect.stringMatching(/^n12-seed1-[0-9a-f]{12}$/)]);
    expect(result.status).toBe(0);
  });

  it('runs the Python baseline and measures children itself when told to (--meter self)', { skip: !HAS_BASELINE_PYTHON }, () => {
    const result = bench(['--sizes', '12', '--runs', '1', '--only', 'validate,baseline,baseline-libyaml', '--meter', 'self'], scratch.dir);
    expect(result.status).toBe(0);
    for (const operation of ['validate', 'baseline', 'baseline-libyaml']) {
      const figures = row(result.report, 12, operation).split('|').slice(3, 6).map((cell) => Number(cell.trim()));
      expect(figures.every((n) => n > 0), `${operation}: ${figures}`).toBe(true);
    }
    expect(row(result.report, 12, 'baseline')).toMatch(/rendered 12 datasets into baseline-out/);
    expect(result.report).toMatch(/baseline: Python [\d.]+ .*PyYAML [\d.]+ .*Jinja2 [\d.]+/);
  });

  it('rejects unknown operations with exit 2', () => {
    const result = bench(['--only', 'build,compile'], scratch.dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown operation compile/);
  });
});

describe('measure', () => {
  it.skipIf(!existsSync(GNU_TIME))('reads CPU time and peak RSS from /usr/bin/time -v', () => {
    const hog = 'const a = []; for (let i = 0; i < 3e6; i++) a.push({ i }); let x = 0; for (let i = 0; i < 5e7; i++) x += i; process.exitCode = 3';
    const m = measure({ program: process.execPath, args: ['-e', hog] }, 'time');
    expect(m.status).toBe(3);
    expect(m.maxRssMiB).toBeGreaterThan(100);
    expect(m.cpuSeconds).toBeGreaterThan(0);
    expect(m.wallSeconds).toBeGreaterThan(0);
  });

  it('lets a Node child report its own usage through a preloaded module', () => {
    const m = measure({ program: process.execPath, args: ['-e', 'const a = []; for (let i = 0; i < 3e6; i++) a.push({ i })'] }, 'self');
    expect(m.status).toBe(0);
    expect(m.maxRssMiB).toBeGreaterThan(100);
    expect(m.cpuSeconds).toBeGreaterThan(0);
  });

  it('parses both report formats and takes medians', () => {
    expect(parseGnuTime('\tUser time (seconds): 1.25\n\tSystem time (seconds): 0.25\n\tMaximum resident set size (kbytes): 2048\n')).toEqual({ cpuSeconds: 1.5, maxRssMiB: 2 });
    expect(parseGnuTime('')).toEqual({ cpuSeconds: Number.NaN, maxRssMiB: Number.NaN });
    expect(parseSelfReport('{"userSeconds":1,"systemSeconds":0.5,"maxRssKiB":1024}')).toEqual({ cpuSeconds: 1.5, maxRssMiB: 1 });
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('summarizeProfile', () => {
  // main -> load -> parse, main -> render; 1 ms between samples.
  const frame = (functionName: string, url = 'file:///repo/dist/core/x.js') => ({ functionName, url, lineNumber: 9 });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', ''), children: [2] },
      { id: 2, callFrame: frame('main'), children: [3, 5] },
      { id: 3, callFrame: frame('load'), children: [4] },
      { id: 4, callFrame: frame('parse', 'file:///linked/node_modules/yaml/dist/parse.js') },
      { id: 5, callFrame: frame('render') },
    ],
    samples: [4, 4, 3, 5, 5, 5, 2],
    timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000],
  };

  it('splits sampled time into self and inclusive time per function and module', () => {
    const summary = summarizeProfile(profile, '/repo');
    const fn = (name: string) => summary.functions.find((f) => f.name.startsWith(`${name} `));
    expect(summary.totalMs).toBe(6);
    expect(fn('render')).toMatchObject({ name: 'render dist/core/x.js:10', selfMs: 3, totalMs: 3 });
    expect(fn('parse')).toMatchObject({ name: 'parse node_modules/yaml/dist/parse.js:10', selfMs: 2, totalMs: 2 });
    expect(fn('load')).toMatchObject({ selfMs: 1, totalMs: 3 });
    expect(fn('main')).toMatchObject({ selfMs: 0, totalMs: 6 });
    expect(summary.modules.map((m) => [m.name, m.selfMs])).toEqual([['dist/core/x.js', 4], ['yaml', 2], ['(root)', 0]]);
  });
});
