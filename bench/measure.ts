// Runs one command in a fresh child process and measures it: wall time, CPU time (user + system)
// and peak resident memory. GNU `/usr/bin/time -v` measures any command from outside; where it is
// missing, the child reports its own figures (Node through a module preloaded with --import, the
// Python baseline by itself), which is why both meters exist.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Meter = 'time' | 'self';
export const GNU_TIME = '/usr/bin/time';
/** Where a child measuring itself writes its figures (the hook below, and bench/baseline/render.py). */
export const USAGE_FILE_ENV = 'STELLER_BENCH_USAGE_FILE';
/** Preloaded into a Node child as a data: URL, so it needs no file beside either the source or dist/. */
const USAGE_HOOK = `data:text/javascript,${encodeURIComponent(`import { writeFileSync } from 'node:fs';
process.on('exit', () => {
  const usage = process.resourceUsage();
  writeFileSync(process.env.${USAGE_FILE_ENV}, JSON.stringify({ userSeconds: usage.userCPUTime / 1e6, systemSeconds: usage.systemCPUTime / 1e6, maxRssKiB: usage.maxRSS }));
});`)}`;

export interface Measurement {
  status: number;
  wallSeconds: number;
  cpuSeconds: number;
  maxRssMiB: number;
  stderr: string;
}

export interface Command {
  program: string;
  args: readonly string[];
  cwd?: string;
  env?: Record<string, string>;
}

export function defaultMeter(): Meter {
  return existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-v', '-o', '/dev/null', 'true']).status === 0 ? 'time' : 'self';
}

export function measure(command: Command, meter: Meter): Measurement {
  const scratch = mkdtempSync(join(tmpdir(), 'steller-bench-usage-'));
  const usageFile = join(scratch, 'usage');
  try {
    const [program, args, env] = meter === 'time'
      ? [GNU_TIME, ['-v', '-o', usageFile, command.program, ...command.args], command.env ?? {}]
      : [command.program, command.args, { ...command.env, [USAGE_FILE_ENV]: usageFile, NODE_OPTIONS: `--import=${USAGE_HOOK}` }];
    const started = process.hrtime.bigint();
    const child = spawnSync(program, args, {
      cwd: command.cwd,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (child.error) throw child.error;
    const usage = existsSync(usageFile) ? readFileSync(usageFile, 'utf8') : '';
    const figures = meter === 'time' ? parseGnuTime(usage) : parseSelfReport(usage);
    return { status: child.status ?? -1, wallSeconds, ...figures, stderr: child.stderr };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** CPU seconds and peak RSS from `/usr/bin/time -v` output; NaN when a figure is missing. */
export function parseGnuTime(text: string): { cpuSeconds: number; maxRssMiB: number } {
  const field = (label: string): number => {
    const match = new RegExp(`^\\s*${label}: *([0-9.]+)\\s*$`, 'm').exec(text);
    return match ? Number(match[1]) : Number.NaN;
  };
  return {
    cpuSeconds: field('User time \\(seconds\\)') + field('System time \\(seconds\\)'),
    maxRssMiB: field('Maximum resident set size \\(kbytes\\)') / 1024,
  };
}

/** The JSON a self-measuring child writes: `{ userSeconds, systemSeconds, maxRssKiB }`. */
export function parseSelfReport(text: string): { cpuSeconds: number; maxRssMiB: number } {
  if (!text) return { cpuSeconds: Number.NaN, maxRssMiB: Number.NaN };
  const report = JSON.parse(text) as { userSeconds: number; systemSeconds: number; maxRssKiB: number };
  return { cpuSeconds: report.userSeconds + report.systemSeconds, maxRssMiB: report.maxRssKiB / 1024 };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
