// The whole build as one library call: read the catalog, answer from the last build when no
// input changed, otherwise load (reusing cached records), render (reusing cached fragments),
// and write out/ only where bytes changed. The CLI's `build` is a thin wrapper around it.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { LOCK_FILE, sha256 } from './lock.js';
import { BuildCache, cacheDirFor, stellerCodeHash } from './cache.js';
import { compareStrings, Reporter } from './diagnostics.js';
import { PROJECT_FILE, readCatalogFiles, type CatalogFiles } from './catalog-files.js';
import type { LoadResult } from './load.js';
import type { RenderTrace } from './build.js';
import { compareWithDir, writeTree, type TreeChanges } from './output.js';
import { SpareFiles } from './staging.js';
import { SourceIndex } from './source.js';
import { readStamps, saveStamps } from './file-stamps.js';

export interface BuildRequest {
  catalog: string;
  out: string;
  /** Compare only; write nothing. */
  check?: boolean;
  /** Folder for the incremental cache; `false` turns it off. Default: `.steller-cache` in the working folder. */
  cacheDir?: string | false;
  /** Warnings fail the build too: out/ is written only when there is nothing to report. */
  strict?: boolean;
}

export interface BuildOutcome extends Pick<LoadResult, 'report' | 'sources'> {
  /** Undefined when the catalog has errors (nothing was written). */
  changes?: TreeChanges;
  fileCount?: number;
  /** True when the answer came from the last build's record (no input changed). */
  fromRecord?: boolean;
  /** True when a few datasets' outputs were patched in place (core/patch.ts). */
  patched?: boolean;
}

export const DEFAULT_CACHE_DIR = '.steller-cache';

export async function runBuild(request: BuildRequest): Promise<BuildOutcome> {
  const catalogRoot = resolve(request.catalog);
  const out = resolve(request.out);
  if (request.cacheDir !== false) {
    const dir = cacheDirFor(resolve(request.cacheDir ?? DEFAULT_CACHE_DIR), catalogRoot, out);
    // The cache appends to its blob: two builds of one catalog into one out/ at once must not share it.
    const release = lockCache(dir);
    if (release) {
      try {
        return await build(catalogRoot, out, request, { dir, kept: true });
      } finally {
        release();
      }
    }
  }
  // Nothing is reused, but rendered texts still go to a scratch cache: a catalog of 10,000
  // datasets then never holds all of out/ in memory.
  const scratch = mkdtempSync(join(tmpdir(), 'steller-scratch-'));
  try {
    return await build(catalogRoot, out, request, { dir: scratch, kept: false });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function build(catalogRoot: string, out: string, request: BuildRequest, cacheAt: { dir: string; kept: boolean }): Promise<BuildOutcome> {
  const lap = phaseTimer();
  lap('modules loaded');
  const check = request.check === true;
  const strict = request.strict === true;
  const keep = cacheAt.kept && !check;
  const files = readCatalogFiles(catalogRoot, cacheAt.kept ? readStamps(cacheAt.dir) : undefined);
  const code = stellerCodeHash();
  const cacheKey = sha256(`${code}\0${sha256(files.project ?? '')}`);
  const cache = BuildCache.open(cacheAt.dir, cacheKey);
  const inputsHash = sha256(`${code}\0${files.inputsHash}`);
  const keepStamps = () => saveStamps(cacheAt.dir, files.stamps, files.filesRead);

  const last = keep ? cache.lastBuild() : undefined;
  // out/ must still be what the last build left: its lock, and its folders (a file deleted by hand is written again).
  const lock = last ? lockOf(out) : undefined;
  const outAsLeft = last !== undefined && lock !== undefined && sha256(lock) === last.lockHash && sameFolders(out, last.folders);
  if (last && outAsLeft && last.inputsHash === inputsHash) {
    keepStamps();
    return { ...reportOf(last.diagnostics, files), changes: { added: [], changed: [], removed: [] }, fileCount: last.fileCount, fromRecord: true };
  }

  lap('read catalog files');
  if (last && lock && outAsLeft) {
    // A few datasets changed in fields no plan reads: patch the outputs in place.
    const { patchBuild } = await import('./patch.js');
    const patched = await patchBuild({ catalogRoot, out, files, cacheDir: cacheAt.dir, cacheKey, lock, lastLockHash: last.lockHash, strict, lap });
    if ('declined' in patched) {
      lap(`no patch (${patched.declined})`);
    } else {
      cache.saveLastBuild({ inputsHash, lockHash: patched.lockHash, fileCount: last.fileCount, folders: folderTimes(out, Object.keys(last.folders)), diagnostics: patched.diagnostics });
      keepStamps();
      lap('patch: saved the cache');
      return { ...reportOf(patched.diagnostics, files), changes: patched.changes, fileCount: last.fileCount, patched: true };
    }
  }
  // The YAML and schema libraries load only when some file has to be read again.
  const { loadCatalog } = await import('./load.js');
  const loaded = loadCatalog(catalogRoot, { files, cache, scoped: keep });
  lap('loaded and validated');
  if (!loaded.catalog) return loaded;
  // Generators (and cdk8s, RDF and XML libraries behind them) load only when there is rendering to do.
  const { renderCatalog, templatesHashOf } = await import('./build.js');
  const renderTrace: RenderTrace | undefined = keep ? { generators: [] } : undefined;
  const tree = renderCatalog(loaded.catalog, loaded.report, { cache, scopes: loaded.scopes, trace: renderTrace });
  lap('rendered');
  if (loaded.report.hasErrors || (strict && loaded.report.diagnostics.length > 0)) return loaded;
  if (check) return { ...loaded, changes: compareWithDir(out, tree), fileCount: tree.size };

  const { changes, records } = await writeTree(out, tree, keep ? { previous: cache.outputRecords(), spares: SpareFiles.inCache(cacheAt.dir, out) } : {});
  lap('wrote out/');
  if (keep) {
    cache.save();
    cache.saveOutputRecords(records);
    lap('saved the cache');
    if (renderTrace && loaded.scopes && loaded.hashes) {
      const { planHashes, saveTrace, traceOf, viewOf } = await import('./build-trace.js');
      const datasetHashes = Object.fromEntries([...files.datasets].map(([path, file]) => [path, file.hash]));
      const fixed = { key: cacheKey, othersHash: files.othersHash, templatesHash: templatesHashOf(loaded.catalog.templates), datasetHashes, lockHash: records.lockHash };
      const hashes = planHashes(loaded.hashes, loaded.catalog.datasets, renderTrace.generators);
      const views = new Map(loaded.catalog.datasets.map((dataset) => [dataset.source_file, viewOf(dataset, renderTrace.generators)]));
      saveTrace(cacheAt.dir, traceOf(fixed, hashes, renderTrace, tree, loaded.scopes.byScope, out, { claims: loaded.claims ?? new Map(), views, signatures: records.files }));
    }
    cache.saveLastBuild({ inputsHash, lockHash: records.lockHash, fileCount: tree.size, folders: folderTimes(out, folderList(tree.keys())), diagnostics: loaded.report.sorted() });
    keepStamps();
    lap('saved the trace for patch builds');
  }
  return { ...loaded, changes, fileCount: tree.size };
}

/** Takes the cache folder for this process; undefined when a live process holds it. A lock left by a dead one is taken over. */
function lockCache(dir: string): (() => void) | undefined {
  const file = join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
      if (holderIsAlive(file)) return undefined;
      rmSync(file, { force: true });
    }
  }
  return undefined;
}

function holderIsAlive(file: string): boolean {
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * With STELLER_TIMINGS set, each phase's end is printed to stderr with the time since the process
 * started (module loading included) and the memory held.
 */
function phaseTimer(): (phase: string) => void {
  if (!process.env.STELLER_TIMINGS) return () => {};
  return (phase) => process.stderr.write(`steller: ${phase}: ${(performance.now() / 1000).toFixed(2)} s, rss ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MiB, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB, external ${Math.round(process.memoryUsage().external / 2 ** 20)} MiB\n`);
}

/** out/'s lock file as it is; undefined when there is none. */
function lockOf(out: string): Buffer | undefined {
  const file = join(out, LOCK_FILE);
  return existsSync(file) ? readFileSync(file) : undefined;
}

/** Every folder holding an output, and out/ itself (`.`). */
function folderList(paths: Iterable<string>): string[] {
  const folders = new Set(['.']);
  for (const path of paths) for (let folder = dirname(path); folder !== '.'; folder = dirname(folder)) folders.add(folder);
  return [...folders].sort(compareStrings);
}

/** The modification time of each folder of out/. */
function folderTimes(out: string, folders: readonly string[]): Record<string, number> {
  const times: Record<string, number> = {};
  for (const folder of folders) times[folder] = statSync(join(out, folder)).mtimeMs;
  return times;
}

function sameFolders(out: string, recorded: Record<string, number> | undefined): boolean {
  if (!recorded) return false;
  try {
    return Object.entries(recorded).every(([folder, mtime]) => statSync(join(out, folder)).mtimeMs === mtime);
  } catch {
    return false;
  }
}

/** A report of recorded diagnostics, with the sources their code frames quote. */
function reportOf(diagnostics: BuildOutcome['report']['diagnostics'], files: CatalogFiles): Pick<BuildOutcome, 'report' | 'sources'> {
  const sources = new SourceIndex();
  const report = new Reporter(sources);
  for (const file of new Set(diagnostics.map((d) => d.file))) {
    const bytes = file === PROJECT_FILE ? files.project : files.datasets.get(file)?.bytes();
    if (bytes) sources.register(file, () => new TextDecoder().decode(bytes));
  }
  report.replay(diagnostics);
  return { report, sources };
}
