// `npm run bench`: builds synthetic catalogs (cached under bench/catalogs/), measures steller on
// them (validate, full build, no-op rebuild, rebuild after one edit) and the plain PyYAML + Jinja2
// baseline, each run in a fresh process, and writes the medians to bench/results.md.
//
//   npm run bench -- [--sizes 1000,10000] [--runs 3 | --runs 3,1] [--only validate,build,noop,edit,baseline,baseline-libyaml,profile]
//                    [--seed 1] [--meter time|self] [--results FILE] [--cache DIR]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultMeter, measure, median, type Command, type Measurement, type Meter } from './measure.js';
import { DEFAULT_CACHE_DIR } from '../core/pipeline.js';
import { profileMarkdown, summarizeProfile, type CpuProfile } from './profile.js';
import { writeSyntheticCatalog, type Kind } from './synth.js';

const REPO = resolve(import.meta.dirname, '../..');
const STELLER = join(REPO, 'bin/steller.js');
/** The compiled CLI before bundling: profiles name source files rather than bundle chunks. */
const STELLER_UNBUNDLED = join(REPO, 'dist/cli/main.js');
const BASELINE = join(REPO, 'bench/baseline/render.py');
const OPERATIONS = ['validate', 'build', 'noop', 'edit', 'edit-schedule', 'edit-qc', 'edit-services', 'edit-plan', 'baseline', 'baseline-libyaml', 'profile'] as const;
/** The rebuilds after one dataset changed, and what each changes. */
const EDITS = [['edit', 'a title'], ['edit-schedule', 'a schedule'], ['edit-qc', 'a QC threshold'], ['edit-services', 'an ERDDAP reload interval'], ['edit-plan', 'an ERDDAP datasetID, which re-plans ERDDAP']] as const;
type OperationName = (typeof OPERATIONS)[number];
const ONE_GIB_IN_MIB = 1024;

interface Options {
  sizes: number[];
  /** Runs per operation, one count per size. */
  runs: number[];
  only: OperationName[];
  seed: number;
  meter: Meter;
  results: string;
  cache: string;
}

interface Manifest {
  datasets: number;
  datasetFiles: string[];
  kinds: Record<Kind, number>;
  bytes: number;
}

interface Row {
  size: number;
  operation: OperationName;
  runs: Measurement[];
  note: string;
}

interface Python {
  program: string;
  description: string;
}

// ------------------------------------------------------------------ options

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: '1000,10000' },
      runs: { type: 'string', default: '3' },
      only: { type: 'string', default: OPERATIONS.join(',') },
      seed: { type: 'string', default: '1' },
      meter: { type: 'string' },
      results: { type: 'string', default: join(REPO, 'bench/results.md') },
      cache: { type: 'string', default: join(REPO, 'bench/catalogs') },
    },
  });
  const wholeNumber = (text: string, what: string, min: number): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${what} must be a whole number ≥ ${min}, not "${text}"`);
    return n;
  };
  const sizes = values.sizes.split(',').map((s) => wholeNumber(s.trim(), '--sizes', 1));
  // One count for every size, or one per size: at 10,000 datasets a run can take minutes.
  const runs = values.runs.split(',').map((s) => wholeNumber(s.trim(), '--runs', 1));
  if (runs.length !== 1 && runs.length !== sizes.length) throw new UsageError(`--runs gives ${runs.length} counts for ${sizes.length} sizes; give one, or one per size`);
  const only = values.only.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only.filter((name) => !(OPERATIONS as readonly string[]).includes(name));
  if (unknown.length) throw new UsageError(`--only: unknown operation ${unknown.join(', ')} (known: ${OPERATIONS.join(', ')})`);
  if (values.meter !== undefined && values.meter !== 'time' && values.meter !== 'self') throw new UsageError('--meter is time or self');
  return {
    sizes,
    runs: sizes.map((_, i) => runs[runs.length === 1 ? 0 : i]),
    only: OPERATIONS.filter((name) => only.includes(name)),
    seed: wholeNumber(values.seed, '--seed', 0),
    meter: (values.meter as Meter | undefined) ?? defaultMeter(),
    results: resolve(values.results),
    cache: resolve(values.cache),
  };
}

class UsageError extends Error {}

// ------------------------------------------------------------------ catalogs

/** Changes whenever the generator's code does, so a stale cached catalog is never measured. */
function synthFingerprint(): string {
  const dir = import.meta.dirname;
  const files = ['synth.js', ...readdirSync(join(dir, 'synth')).filter((f) => f.endsWith('.js')).sort().map((f) => `synth/${f}`)];
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(readFileSync(join(dir, file)));
  return hash.digest('hex').slice(0, 12);
}

function cachedCatalog(cache: string, size: number, seed: number): { catalog: string; manifest: Manifest } {
  const prefix = `n${size}-seed${seed}-`;
  const home = join(cache, `${prefix}${synthFingerprint()}`);
  const manifestFile = join(home, 'manifest.json');
  if (!existsSync(manifestFile)) {
    mkdirSync(cache, { recursive: true });
    for (const entry of readdirSync(cache)) if (entry.startsWith(prefix)) rmSync(join(cache, entry), { recursive: true, force: true });
    // Written beside and renamed into place, so an interrupted run leaves no half catalog behind.
    const partial = `${home}.partial-${process.pid}`;
    progress(`[${size}] writing the synthetic catalog (seed ${seed})`);
    const result = writeSyntheticCatalog(join(partial, 'catalog'), { datasets: size, seed });
    writeFileSync(join(partial, 'manifest.json'), JSON.stringify({ datasets: size, ...result }));
    renameSync(partial, home);
  }
  return { catalog: join(home, 'catalog'), manifest: JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest };
}

function treeStats(dir: string): { files: number; bytes: number } {
  if (!existsSync(dir)) return { files: 0, bytes: 0 };
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

// ------------------------------------------------------------------ the operations

function findPython(): Python | undefined {
  const probe = 'import sys, yaml, jinja2; print(sys.version.split()[0], yaml.__version__, jinja2.__version__, yaml.__with_libyaml__)';
  for (const program of ['python3', '/usr/bin/python3']) {
    const result = spawnSync(program, ['-c', probe], { encoding: 'utf8' });
    if (result.status !== 0) continue;
    const [python, pyyaml, jinja2, libyaml] = result.stdout.trim().split(' ');
    return { program, description: `Python ${python} (\`${program}\`), PyYAML ${pyyaml} (libyaml ${libyaml === 'True' ? 'available' : 'missing'}), Jinja2 ${jinja2}` };
  }
  return undefined;
}

interface Workspace {
  /** The scratch folder: steller runs here, so its incremental cache (.steller-cache) lives here too. */
  root: string;
  catalog: string;
  out: string;
  baselineOut: string;
  editFile: string;
}

interface Operation {
  prepare(run: number): void;
  command: Command;
}

function operationsFor(ws: Workspace, python: Python | undefined): Partial<Record<OperationName, Operation>> {
  const steller = (...args: string[]): Command => ({ program: process.execPath, args: [STELLER, ...args], cwd: ws.root });
  const build = steller('build', '--catalog', ws.catalog, '--out', ws.out);
  const ensureBuilt = () => {
    if (!existsSync(join(ws.out, 'steller.lock.json'))) spawnSync(build.program, build.args, { cwd: ws.root, stdio: 'ignore' });
  };
  const fromScratch = () => {
    rmSync(ws.out, { recursive: true, force: true });
    rmSync(join(ws.root, DEFAULT_CACHE_DIR), { recursive: true, force: true });
  };
  const baseline = (...extra: string[]): Operation | undefined => python && {
    prepare: () => rmSync(ws.baselineOut, { recursive: true, force: true }),
    command: { program: python.program, args: [BASELINE, '--catalog', ws.catalog, '--out', ws.baselineOut, ...extra] },
  };
  return {
    'validate': { prepare: () => {}, command: steller('validate', '--catalog', ws.catalog) },
    'build': { prepare: fromScratch, command: build },
    'noop': { prepare: ensureBuilt, command: build },
    'edit': { prepare: (run) => { ensureBuilt(); editLine(ws.editFile, 'title', `Benchmark edit ${run + 1} of this dataset`); }, command: build },
    // The hour's minute: the CronJob changes, the CKAN records' hourly frequency does not.
    'edit-schedule': { prepare: (run) => { ensureBuilt(); editLine(ws.editFile, 'schedule', `"${(run * 7 + 3) % 60} * * * *"`); }, command: build },
    'edit-qc': { prepare: (run) => { ensureBuilt(); editQcThreshold(ws.editFile, run); }, command: build },
    'edit-services': { prepare: (run) => { ensureBuilt(); editReloadInterval(ws.editFile, run); }, command: build },
    // ERDDAP's plan reads the datasetID (unique per server, the order of datasets.xml): a patch that re-plans ERDDAP.
    'edit-plan': { prepare: (run) => { ensureBuilt(); editErddapDatasetId(ws.editFile, run); }, command: build },
    'baseline': baseline(),
    'baseline-libyaml': baseline('--libyaml'),
  };
}

/** The first gross range test's upper fail bound, different on every run. */
function editQcThreshold(file: string, run: number): void {
  const text = readFileSync(file, 'utf8');
  const edited = text.replace(/(gross_range_test: \{[^}\n]*fail_span: \[[^,\]]+, )[^\]]+\]/, `$1${900 + run}]`);
  if (edited === text) throw new Error(`no gross_range_test with a fail_span to edit in ${file}`);
  writeFileSync(file, edited);
}

/** The ERDDAP service's reloadEveryNMinutes, different on every run. */
function editReloadInterval(file: string, run: number): void {
  const text = readFileSync(file, 'utf8');
  const edited = text.replace(/reloadEveryNMinutes: \d+/, `reloadEveryNMinutes: ${1000 + run}`);
  if (edited === text) throw new Error(`no reloadEveryNMinutes to edit in ${file}`);
  writeFileSync(file, edited);
}

/** The first ERDDAP service's dataset_id (written, or replaced, right after its server), different on every run. */
function editErddapDatasetId(file: string, run: number): void {
  const text = readFileSync(file, 'utf8');
  const edited = text.replace(/(\n {2}erddap:\n {4}- server: [^\n]+\n)(?: {6}dataset_id: [^\n]*\n)?/, `$1      dataset_id: bench_edit_${run}\n`);
  if (edited === text) throw new Error(`no ERDDAP service to edit in ${file}`);
  writeFileSync(file, edited);
}

/** A real change to one dataset: one top-level line, different on every run. */
function editLine(file: string, key: string, value: string): void {
  const text = readFileSync(file, 'utf8');
  const edited = text.replace(new RegExp(`^${key}: .*$`, 'm'), `${key}: ${value}`);
  if (edited === text) throw new Error(`no ${key} line to edit in ${file}`);
  writeFileSync(file, edited);
}

function runOperation(name: OperationName, operation: Operation, size: number, count: number, meter: Meter, ws: Workspace): Row {
  const runs: Measurement[] = [];
  for (let run = 0; run < count; run++) {
    operation.prepare(run);
    // Dirty pages of earlier runs (a full build writes 400 MB) are written back now, not inside this run.
    spawnSync('sync');
    const result = measure(operation.command, meter);
    runs.push(result);
    progress(`[${size}] ${name} ${run + 1}/${count}: ${result.wallSeconds.toFixed(2)} s${result.status ? ` (exit ${result.status})` : ''}`);
    if (result.status !== 0) break;
  }
  return { size, operation: name, runs, note: outcome(runs[runs.length - 1], ws) };
}

/** What the command said it did (its last line), with the scratch paths taken out. */
function outcome(last: Measurement, ws: Workspace): string {
  const lines = last.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const text = (last.status === 0 ? lines[lines.length - 1] : `exit ${last.status}: ${lines[0] ?? ''}`) ?? '';
  return text.replaceAll(ws.baselineOut, 'baseline-out').replaceAll(ws.out, 'out').replaceAll(ws.catalog, 'catalog').slice(0, 120);
}

/** The steller runs worth a profile: the cold build, and the two rebuilds the issue wants under 1 s. */
const PROFILED: readonly [OperationName, string][] = [['build', 'a full build'], ['noop', 'a no-op rebuild'], ['edit', 'a rebuild after one edit']];

/** One `node --cpu-prof` run of each, prepared as when measured; a section of tables per run. */
function profileRuns(operations: Partial<Record<OperationName, Operation>>, size: number): string[] {
  const sections: string[] = [];
  for (const [name, what] of PROFILED) {
    const operation = operations[name]!;
    const dir = mkdtempSync(join(tmpdir(), 'steller-bench-prof-'));
    try {
      progress(`[${size}] profiling ${what} (node --cpu-prof)`);
      // A run index no measured run used, so the edit is a real change.
      operation.prepare(PROFILED.length + 1000);
      const { program, cwd } = operation.command;
      const args = operation.command.args.map((arg) => (arg === STELLER ? STELLER_UNBUNDLED : arg));
      const result = spawnSync(program, ['--cpu-prof', '--cpu-prof-dir', dir, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      const body = file
        ? profileMarkdown(summarizeProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, REPO))
        : `No profile was written (exit ${result.status}).`;
      sections.push('', `## Profile of ${what} at ${size} datasets (\`node --cpu-prof\`, the CLI unbundled so that time is told by file)`, '', body);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return sections;
}

// ------------------------------------------------------------------ report

const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function resultsTable(rows: readonly Row[]): string {
  return [
    '| datasets | operation | wall (s) | CPU (s) | peak RSS (MiB) | each run\'s wall (s), in order | result |',
    '|---:|---|---:|---:|---:|---|---|',
    ...rows.map((row) => {
      const ok = row.runs.every((r) => r.status === 0);
      const figures = ok
        ? [fixed(median(row.runs.map((r) => r.wallSeconds)), 2), fixed(median(row.runs.map((r) => r.cpuSeconds)), 2), fixed(median(row.runs.map((r) => r.maxRssMiB)), 0)]
        : ['failed', '', ''];
      // In order, because the order tells: the first patches after a whole build run slower.
      const each = row.runs.map((r) => fixed(r.wallSeconds, 2)).join(', ');
      return `| ${row.size} | ${row.operation} | ${figures.join(' | ')} | ${each} | ${row.note.replaceAll('|', '\\|')} |`;
    }),
  ].join('\n');
}

/** The issue's goals, judged at the largest size that has the figures. */
function goalsTable(rows: readonly Row[]): string {
  if (rows.length === 0) return 'Nothing was measured.';
  const size = Math.max(...rows.map((r) => r.size));
  const at = (operation: OperationName) => rows.find((r) => r.size === size && r.operation === operation && r.runs.every((m) => m.status === 0));
  const wall = (row: Row) => median(row.runs.map((r) => r.wallSeconds));
  const lines: string[] = [];
  const add = (goal: string, measured: string, met: boolean) => lines.push(`| ${goal} | ${measured} | ${met ? 'yes' : '**no**'} |`);
  const build = at('build');
  for (const name of ['baseline', 'baseline-libyaml'] as const) {
    const baseline = at(name);
    // The issue's bar is the plain loader, as such scripts are usually written; libyaml's is a stricter one.
    const goal = name === 'baseline' ? 'full build faster than the PyYAML (safe_load) + Jinja2 baseline' : 'stricter than the issue: full build faster than the same baseline with libyaml\'s C loader';
    if (build && baseline) add(goal, `${fixed(wall(build), 2)} s vs ${fixed(wall(baseline), 2)} s`, wall(build) < wall(baseline));
  }
  const goals: [OperationName, string][] = [['noop', 'no-op rebuild under 1 s'], ...EDITS.map(([name, what]): [OperationName, string] => [name, `one-dataset change under 1 s (${what})`])];
  for (const [name, goal] of goals) {
    const row = at(name);
    if (row) add(goal, `${fixed(wall(row), 2)} s`, wall(row) < 1);
  }
  const steller = rows.filter((r) => r.size === size && ['validate', 'build', 'noop', ...EDITS.map(([name]) => name)].includes(r.operation));
  if (steller.length) {
    const peak = Math.max(...steller.flatMap((r) => r.runs.map((m) => m.maxRssMiB)));
    add('peak memory under 1 GiB (any steller run)', `${fixed(peak, 0)} MiB`, peak < ONE_GIB_IN_MIB);
  }
  return [`At ${size} datasets:`, '', '| goal | measured | met |', '|---|---|---|', ...lines].join('\n');
}

/**
 * Which steller was measured: the commit, and whether the working tree differed from it (the
 * report itself aside: it is rewritten after every size).
 */
function stellerVersion(resultsFile: string): string {
  const git = (...args: string[]) => spawnSync('git', ['-C', REPO, ...args], { encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return 'steller: not a git checkout';
  const dirty = git('status', '--porcelain', '--untracked-files=normal', '--', '.', `:(exclude)${relative(REPO, resolve(resultsFile))}`).stdout.trim() !== '';
  return `steller: commit ${head.stdout.trim()}${dirty ? ' plus uncommitted changes' : ''}`;
}

function machine(options: Options, python: Python | undefined, loadAtStart: number[]): string {
  const cpu = cpus();
  return [
    `- ${stellerVersion(options.results)}`,
    `- CPU: ${cpu[0]?.model.trim() ?? 'unknown'}, ${cpu.length} cores; memory ${Math.round(totalmem() / 2 ** 30)} GiB; ${type()} ${release()}`,
    `- Node ${process.version}; load average when the run started ${loadAtStart.map((n) => n.toFixed(1)).join(', ')} (other work on the machine inflates wall times; CPU times suffer less)`,
    `- baseline: ${python ? python.description : 'not run: no python3 with PyYAML and Jinja2 found'}`,
    `- meter: ${options.meter === 'time' ? '`/usr/bin/time -v` (CPU = user + system of the child and its children; peak = maximum resident set size)' : "the child's own `process.resourceUsage()` / `resource.getrusage` (CPU = user + system; peak = maxRSS)"}; wall time from the parent`,
  ].join('\n');
}

function catalogsTable(manifests: readonly Manifest[]): string {
  return [
    '| datasets | dataset files | MiB | kinds |',
    '|---:|---:|---:|---|',
    ...manifests.map((m) => `| ${m.datasets} | ${m.datasetFiles.length} | ${fixed(m.bytes / 1048576, 1)} | ${Object.entries(m.kinds).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(', ')} |`),
  ].join('\n');
}

/** Everything measured so far; the report is rewritten from it after every size. */
interface Findings {
  manifests: Manifest[];
  rows: Row[];
  /** One sentence per size on what the outputs held. */
  outputs: string[];
  /** Markdown sections, one per profiled size. */
  profiles: string[];
}

function report(options: Options, python: Python | undefined, loadAtStart: number[], { manifests, rows, outputs, profiles }: Findings): string {
  const args = [`--sizes ${options.sizes.join(',')}`, `--runs ${[...new Set(options.runs)].length === 1 ? options.runs[0] : options.runs.join(',')}`, `--only ${options.only.join(',')}`, `--seed ${options.seed}`].join(' ');
  return [
    '# steller benchmark',
    '',
    `Written by \`npm run bench -- ${args}\`. Every figure is the median of the row's runs, each in a fresh process; rerun to refresh.`,
    'Operations: `validate`; `build` = full build into an empty out/; `noop` = the same build again over the existing out/;',
    '`edit` = a build after one dataset\'s title changed, `edit-schedule` = after its schedule changed, `edit-qc` = after a QC threshold changed, `edit-services` = after its ERDDAP reload interval changed (all four patch builds); `edit-plan` = after its ERDDAP datasetID changed (ERDDAP\'s plan reads it: a patch build that re-plans ERDDAP);',
    '`baseline` = bench/baseline/render.py (PyYAML + Jinja2, no validation) into an empty folder.',
    '',
    '## Machine',
    '',
    machine(options, python, loadAtStart),
    '',
    '## Catalogs (bench/synth.ts)',
    '',
    catalogsTable(manifests),
    '',
    ...outputs,
    '',
    '## Results',
    '',
    resultsTable(rows),
    '',
    '## Goals (issue 8)',
    '',
    goalsTable(rows),
    ...profiles,
    '',
  ].join('\n');
}

// ------------------------------------------------------------------ main

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

function benchSize(size: number, runs: number, options: Options, python: Python | undefined, { manifests, rows, outputs, profiles }: Findings): void {
  const { catalog, manifest } = cachedCatalog(options.cache, size, options.seed);
  const scratch = mkdtempSync(join(tmpdir(), `steller-bench-${size}-`));
  try {
    // Measured on a copy, so edits never touch the cached catalog.
    const ws: Workspace = {
      root: scratch,
      catalog: join(scratch, 'catalog'),
      out: join(scratch, 'out'),
      baselineOut: join(scratch, 'baseline-out'),
      editFile: '',
    };
    cpSync(catalog, ws.catalog, { recursive: true });
    ws.editFile = join(ws.catalog, manifest.datasetFiles.find((f) => f.includes('/buoys/')) ?? manifest.datasetFiles[0]);
    const operations = operationsFor(ws, python);
    for (const name of options.only) {
      if (name === 'profile') {
        profiles.push(...profileRuns(operations, size));
        continue;
      }
      const operation = operations[name];
      if (!operation) {
        rows.push({ size, operation: name, runs: [], note: 'skipped: no python3 with PyYAML and Jinja2' });
        continue;
      }
      rows.push(runOperation(name, operation, size, runs, options.meter, ws));
    }
    const built = treeStats(ws.out);
    const baseline = treeStats(ws.baselineOut);
    outputs.push(`At ${size} datasets steller's out/ held ${built.files} files (${fixed(built.bytes / 1048576, 1)} MiB)${baseline.files ? `; the baseline wrote ${baseline.files} files (${fixed(baseline.bytes / 1048576, 1)} MiB)` : ''}.`);
    manifests.push(manifest);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function main(argv: string[]): number {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    return 2;
  }
  if (!existsSync(join(REPO, 'dist/cli/main.js'))) {
    process.stderr.write('bench: dist/ is missing; run `npm run build:ts` first (npm run bench does)\n');
    return 2;
  }
  const loadAtStart = loadavg();
  const python = options.only.some((o) => o.startsWith('baseline')) ? findPython() : undefined;
  const findings: Findings = { manifests: [], rows: [], outputs: [], profiles: [] };
  mkdirSync(dirname(options.results), { recursive: true });
  options.sizes.forEach((size, i) => {
    benchSize(size, options.runs[i], options, python, findings);
    // Written after every size, so a long run that is stopped keeps what it measured.
    writeFileSync(options.results, report(options, python, loadAtStart, findings));
  });
  const { rows } = findings;
  process.stdout.write(`${resultsTable(rows)}\n\n${goalsTable(rows)}\n\nwrote ${options.results}\n`);
  return rows.some((row) => row.runs.some((r) => r.status !== 0)) ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
