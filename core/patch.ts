// A patch build: the rebuild after a few dataset files changed only in fields no plan reads (a
// title, a summary, variables, a schedule's time, a retry policy, QC thresholds: each generator
// declares what its plan reads, `planReads`). Every generator would plan exactly as last time, so each output
// is last time's rope with those datasets' Texts swapped for their new renderings: nothing else
// is loaded, planned or decoded, the unchanged stretches of a file are copied from out/ itself,
// and a file whose new Texts have the bytes of the old is not written at all. Anything else (a
// new or deleted file, a changed id or service, steller.yaml, a template, an error) is declined,
// and a whole build does it. test/core/patch.test.ts holds the two to the same bytes.
import { close, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog, Dataset } from '../schemas/catalog.js';
import type { DatasetField, DatasetPath, Generator, OutputFile } from '../generators/types.js';
import { GENERATOR_MODULES } from '../generators/modules.js';
import { datasetFingerprint, memoizedRenders } from './fragments.js';
import {
  datasetEntry, datasetHashesOf, encode, fieldChanges, outStamp, planPaths, readTrace, ropeEntry, ropeRecordOf, savePatchedTrace, shapeHashOf,
  type BuildTrace, type DatasetHashes, type DatasetTrace, type GeneratorInfo, type RopeRecord,
} from './build-trace.js';
import { CATALOG_RULES_READ } from './rules.js';
import { BuildCache, FileRanges, type OutputRecords } from './cache.js';
import type { CatalogFiles } from './catalog-files.js';
import { compareStrings, datasetScope, DiagnosticScopes, generatorScope, Reporter, type Diagnostic } from './diagnostics.js';
import { loadDataset, loadProject } from './load.js';
import { LockEntries, LOCK_FILE, sha256 } from './lock.js';
import { signatureOf, signatureOfParts, Staging, type Hashed, type TreeChanges } from './output.js';
import { SourceIndex } from './source.js';
import { TemplateResolver } from './templates.js';
import { forEachText, piecesOf, Text, type Piece } from './text.js';

/** More changed files than this and a whole build is about as quick. */
const PATCH_LIMIT = 16;
/** Stretches of an old file are copied in pieces of this size, through one reused buffer. */
const COPY_CHUNK = 4 << 20;

export interface PatchRequest {
  catalogRoot: string;
  out: string;
  files: CatalogFiles;
  cacheDir: string;
  cacheKey: string;
  /** out/'s lock and its sha256; the caller checked out/ is as the last build left it. */
  lock: Buffer;
  lastLockHash: string;
  /** Warnings fail the build: the whole build reports them and writes nothing. */
  strict: boolean;
  lap: (phase: string) => void;
}

export interface Patched {
  diagnostics: Diagnostic[];
  changes: TreeChanges;
  lockHash: string;
}

type Trace = NonNullable<ReturnType<typeof readTrace>>;

/** Why a patch cannot do this build (a whole build will). */
class Declined extends Error {}

function decline(why: string): never {
  throw new Declined(why);
}

/** Thrown by the catalog a re-run generator gets: it must not need the datasets. */
class WholeCatalogNeeded extends Error {}

/**
 * The patched build, written and recorded; or why a whole build has to do it. A declined patch
 * has touched neither out/ nor the cache; one that failed part-way leaves nothing a whole build
 * does not put right (it trusts no record that no longer matches out/'s lock).
 */
export async function patchBuild(request: PatchRequest): Promise<Patched | { declined: string }> {
  try {
    return await patch(request);
  } catch (error) {
    // The cache only ever saves work: whatever went wrong, the whole build does it right (and
    // reports an I/O error on out/ itself, should that be the cause).
    return { declined: error instanceof Declined ? error.message : `the patch failed: ${(error as Error).message}` };
  }
}

async function patch(request: PatchRequest): Promise<Patched> {
  const trace = readTrace(request.cacheDir, request.cacheKey);
  if (!trace) return decline('no record of the last build');
  try {
    return await patchWith(request, trace);
  } finally {
    trace.close();
  }
}

async function patchWith(request: PatchRequest, trace: Trace): Promise<Patched> {
  const { files, out } = request;
  if (trace.header.lockHash !== request.lastLockHash) return decline('the record is of another out/');
  if (trace.header.othersHash !== files.othersHash) return decline('steller.yaml or a template changed');
  const changed = changedFiles(trace.header.datasetHashes, files);
  if (changed.length === 0 || changed.length > PATCH_LIMIT) return decline(`${changed.length} dataset files changed`);
  const cache = BuildCache.open(request.cacheDir, request.cacheKey, { patching: true });
  if (!cache.canPatch()) return decline('no rendered texts to add to');

  const { catalog, scopes, report, changedFields, hashes } = loadChanged(request, trace, changed, cache);
  request.lap('patch: loaded the changed datasets');
  const oldLockBytes = request.lock;
  const oldLock = LockEntries.of(oldLockBytes);
  if (!oldLock) return decline('out/\'s lock is not laid out as this steller writes it');
  const staging = new Staging(out);
  const opened: number[] = [];
  try {
    const ctx: PatchContext = { request, trace, catalog, scopes, report, changedFields, hashes, oldLock, staging, changed, opened, cache };
    const result = await patchOutputs(ctx);
    request.lap('patch: rendered and staged');
    const merged = mergedScopes(trace, scopes, changed, result.rerun);
    const diagnostics = sortedDiagnostics(merged);
    if (request.strict && diagnostics.length > 0) return decline('--strict, and there are warnings');
    const lockBytes = patchedLock(oldLockBytes, result.hashes, oldLock);
    const changes: TreeChanges = { added: [], changed: [...result.hashes].filter(([path, hash]) => oldLock.sha256(path) !== hash.sha256).map(([path]) => path), removed: [] };
    if (changes.changed.length > 0) {
      staging.write(LOCK_FILE, [lockBytes.toString('utf8')], { replacing: true });
      await staging.flushed();
      // Everything is staged; each file now replaces its old self by a rename, the lock last.
      for (const path of changes.changed) staging.moveTo(join(out, path), path);
      staging.moveTo(join(out, LOCK_FILE), LOCK_FILE);
      changes.changed = [...changes.changed, LOCK_FILE].sort(compareStrings);
    }
    request.lap('patch: wrote out/');
    const lockHash = sha256(lockBytes);
    saveRecords(ctx, trace, { ...result, lockHash, scopes: merged });
    return { diagnostics, changes, lockHash };
  } finally {
    // The old files were renamed over: closing them frees their pages, work a pool thread can do.
    for (const fd of opened) close(fd, () => {});
    staging.remove();
  }
}

/** The dataset files whose hash changed since the last build; declined when one was added or removed. */
function changedFiles(recorded: Record<string, string>, files: CatalogFiles): string[] {
  if (Object.keys(recorded).length !== files.datasets.size) return decline('a dataset file was added or removed');
  const changed: string[] = [];
  for (const [path, file] of files.datasets) {
    const before = recorded[path];
    if (before === undefined) return decline('a dataset file was added or removed');
    if (before !== file.hash) changed.push(path);
  }
  return changed;
}

interface Loaded {
  catalog: Catalog;
  scopes: DiagnosticScopes;
  report: Reporter;
  /** Per changed file, which fields changed, and its new hashes. */
  changedFields: Map<string, Set<DatasetField>>;
  hashes: Map<string, DatasetHashes>;
}

/** The changed files, loaded: declined when one has an error, or changed in a field a plan reads. */
function loadChanged(request: PatchRequest, trace: BuildTrace, changed: readonly string[], cache: BuildCache): Loaded {
  const { files } = request;
  const sources = new SourceIndex();
  const report = new Reporter(sources);
  const project = loadProject(files, sources, report);
  if (!project) return decline('steller.yaml does not load');
  const scopes = new DiagnosticScopes(report);
  const templates = new TemplateResolver(request.catalogRoot, report);
  const datasets: Dataset[] = [];
  const changedFields = new Map<string, Set<DatasetField>>();
  const hashes = new Map<string, DatasetHashes>();
  for (const file of changed) {
    const catalogFile = files.datasets.get(file);
    const before = trace.dataset(file);
    if (!catalogFile || !before) return decline(`no record of ${file}`);
    const scope = datasetScope(file);
    const dataset = scopes.within(scope, () => loadDataset(file, catalogFile.bytes(), project, templates, sources, report));
    const diagnostics = scopes.byScope.get(scope) ?? [];
    if (!dataset || diagnostics.some((d) => d.severity === 'error')) return decline(`${file} has errors`);
    const now = datasetHashesOf(dataset, planPaths(trace.header.generators));
    const { changed, flipped } = fieldChanges(before, now);
    const planned = plannedWith(changed, flipped, trace.header.generators);
    if (planned) return decline(`${file} changed its ${planned}`);
    hashes.set(file, now);
    changedFields.set(file, new Set([...changed].filter((key): key is DatasetField => !key.includes('.'))));
    cache.storeDataset(file, { textHash: catalogFile.hash, dataset, diagnostics: [...diagnostics], hashes: now });
    datasets.push(dataset);
  }
  datasets.sort((a, b) => compareStrings(a.id, b.id));
  const fileHashes = new Map(changed.map((file) => [file, files.datasets.get(file)?.hash as string]));
  return { catalog: { project, datasets, templates: templates.texts, fileHashes }, scopes, report, changedFields, hashes };
}

/**
 * The first changed field or path something plans with (the catalog's rules, or a generator's
 * plan), and who. A field a plan reads only paths of has changed for it when one of those did.
 */
function plannedWith(changed: ReadonlySet<DatasetPath>, flipped: ReadonlySet<DatasetField>, generators: readonly GeneratorInfo[]): string | undefined {
  for (const key of changed) {
    if (CATALOG_RULES_READ.includes(key)) return `${key}, which the catalog's rules read`;
    for (const { name, planReads } of generators) {
      const field = key as DatasetField;
      if (!planReads || planReads.values.includes(key) || (flipped.has(field) && planReads.presence?.includes(field))) return `${key}, which ${name}'s plan reads`;
    }
  }
  return undefined;
}

interface PatchContext extends Loaded {
  request: PatchRequest;
  trace: BuildTrace;
  oldLock: LockEntries;
  staging: Staging;
  changed: readonly string[];
  /** Descriptors of out/ files being copied from, closed when the patch ends. */
  opened: number[];
  cache: BuildCache;
}

interface PatchedOutputs {
  /** Every file staged, with its new hash. */
  hashes: Map<string, Hashed>;
  /** The new record and signature of each staged file (no record: a single Text, or plain content). */
  ropes: Map<string, { rope?: RopeRecord; signature: string | undefined }>;
  /** Per changed dataset file, its trace with its new hashes. */
  datasetTraces: Map<string, DatasetTrace>;
  /** Generators run again in full (their plan reads only the project and other outputs). */
  rerun: Set<string>;
}

async function patchOutputs(ctx: PatchContext): Promise<PatchedOutputs> {
  const result: PatchedOutputs = { hashes: new Map(), ropes: new Map(), datasetTraces: new Map(), rerun: new Set() };
  // The changed datasets' traces, with their new hashes (their fragments' places do not move).
  for (const file of ctx.changed) result.datasetTraces.set(file, { ...(ctx.trace.dataset(file) as DatasetTrace), ...(ctx.hashes.get(file) as DatasetHashes) });
  /** Files staged so far, as the generators that come later may read them. */
  const staged = new Map<string, OutputFile>();
  const changedBy = new Set<string>();
  const stage = (generator: string, file: OutputFile) => {
    const hash = ctx.staging.write(file.path, piecesOf(file), { replacing: true });
    result.hashes.set(file.path, hash);
    staged.set(file.path, file);
    if (ctx.oldLock.sha256(file.path) !== hash.sha256) changedBy.add(generator);
  };
  const recorded = ctx.trace.header.generators;
  if (recorded.map((g) => g.name).join() !== GENERATOR_MODULES.map((m) => m.name).join()) return decline('the generators are not those of the last build');
  for (const [index, info] of recorded.entries()) {
    const fragmented = ctx.changed.filter((file) => (result.datasetTraces.get(file)?.fragments[info.name]?.length ?? 0) > 0);
    // A rendering that reads none of the fields that changed renders what it rendered last time.
    const touched = fragmented.filter((file) => info.renderReads === undefined || info.renderReads.some((field) => ctx.changedFields.get(file)?.has(field)));
    const inputsChanged = (info.after ?? []).some((name) => changedBy.has(name));
    if (touched.length > 0) {
      // Its plan may read what changed in the files it reads: only a whole build can tell.
      if (inputsChanged) return decline(`${info.name} reads outputs that changed`);
      const generator = await GENERATOR_MODULES[index].load();
      for (const file of swapFragments(ctx, generator, touched, staged, result)) stage(info.name, file);
    } else if (inputsChanged) {
      const generator = await GENERATOR_MODULES[index].load();
      const files = rerun(ctx, generator, staged);
      if (!samePaths(files, ctx.trace.paths(info.name), ctx.oldLock)) return decline(`${info.name} now writes other files`);
      result.rerun.add(info.name);
      for (const file of files) {
        result.ropes.set(file.path, { rope: file.pieces && ropeRecordOf(file, file.pieces), signature: signatureOf(file) });
        stage(info.name, file);
      }
    }
  }
  return result;
}

/**
 * Renders the touched datasets' fragments (the generator run over just those datasets, each
 * fragment with the salt the whole build's plan gave it), checks that it asks for them as the
 * whole build did, with values of the same shape, and returns each file that held an old
 * fragment's Texts with the new ones in their place.
 */
function swapFragments(ctx: PatchContext, generator: Generator, touched: readonly string[], staged: ReadonlyMap<string, OutputFile>, result: PatchedOutputs): OutputFile[] {
  const { trace } = ctx;
  const catalog = { ...ctx.catalog, datasets: ctx.catalog.datasets.filter((d) => touched.includes(d.source_file)) };
  const traced = (file: string) => result.datasetTraces.get(file)?.fragments[generator.name] ?? [];
  const fresh = new Map<string, unknown[]>();
  const fingerprint = (dataset: Dataset) => datasetFingerprint(trace.header.templatesHash, dataset.source_file, catalog.fileHashes?.get(dataset.source_file) as string);
  const within = <T>(scope: string, work: () => T): T => ctx.scopes.within(scope, work);
  const perDataset = memoizedRenders(generator.name, { cache: ctx.cache, report: ctx.report, within, fingerprint }, (dataset, { value }) => {
    fresh.set(dataset.source_file, [...(fresh.get(dataset.source_file) ?? []), value]);
  }, (dataset, index) => traced(dataset.source_file)[index]?.salt);
  try {
    // Its plan's files and diagnostics are of a catalog of a few datasets: only the fragments count.
    within(generatorScope(`${generator.name} (patch)`), () => generator.generate(catalog, { report: ctx.report, inputs: staged, perDataset }));
  } catch (error) {
    return decline(`${generator.name} failed on the changed datasets alone: ${(error as Error).message}`);
  }
  /** Per file made of pieces: which piece becomes which new Text. */
  const swaps = new Map<string, Map<number, Text>>();
  const files: OutputFile[] = [];
  for (const file of touched) {
    const before = traced(file);
    const now = fresh.get(file) ?? [];
    if (before.length !== now.length) return decline(`${generator.name} asks for other fragments of ${file}`);
    before.forEach((fragment, i) => {
      if (shapeHashOf(now[i]) !== fragment.shape) decline(`${generator.name}'s fragment of ${file} changed shape`);
      const texts: Text[] = [];
      forEachText(now[i], (text) => texts.push(text));
      for (const [path, places] of Object.entries(fragment.pieces)) {
        const swap = swaps.get(path) ?? new Map<number, Text>();
        swaps.set(path, swap);
        for (const [piece, text] of places) swap.set(piece, texts[text]);
      }
      for (const [path, index] of Object.entries(fragment.whole)) {
        const text = texts[index];
        if (sha256(text.bytes()) === ctx.oldLock.sha256(path)) continue;
        result.ropes.set(path, { signature: signatureOfParts([{ id: text.id as string }]) });
        files.push({ path, datasets: ctx.oldLock.datasets(path) ?? [], pieces: [text], get content() { return text.toString(); } });
      }
    });
  }
  for (const [path, swap] of [...swaps].sort(([a], [b]) => compareStrings(a, b))) {
    const record = trace.rope(path);
    if (!record) return decline(`no record of ${path}`);
    const pieces = swapPieces(join(ctx.request.out, path), record, swap, ctx.opened);
    if (!pieces) continue;
    // Its Texts' ids are not all known here: the next whole build hashes the file once.
    result.ropes.set(path, { rope: { datasets: record.datasets, lengths: pieces.lengths }, signature: undefined });
    files.push({ path, datasets: record.datasets, pieces: pieces.pieces, get content() { return pieces.pieces.map((p) => p.toString()).join(''); } });
  }
  return files;
}

/**
 * The file's new pieces: the new Texts in their places, and between them stretches of the old
 * file in out/ (declined unless its size is what the record says). Nothing when every new Text
 * has the bytes of the piece it replaces: the file stays as it is.
 */
function swapPieces(file: string, record: RopeRecord, swap: ReadonlyMap<number, Text>, opened: number[]): { pieces: Piece[]; lengths: number[] } | undefined {
  const stamp = outStamp(file);
  const size = record.lengths.reduce((a, b) => a + b, 0);
  if (!stamp || !record.stamp || stamp.size !== size || stamp.mtimeMs !== record.stamp.mtimeMs || stamp.ino !== record.stamp.ino) {
    return decline(`${file} is not as the last build left it`);
  }
  let fd: number | undefined;
  const ranges = new FileRanges(() => {
    if (fd === undefined) opened.push((fd = openSync(file, 'r')));
    return fd;
  }, () => `${file} changed while steller read it`);
  if (sameBytes(record.lengths, swap, ranges)) return undefined;
  const pieces: Piece[] = [];
  let copiedTo = 0;
  const copyUpTo = (end: number) => {
    for (let at = copiedTo; at < end; at += COPY_CHUNK) pieces.push(Text.stored('', { offset: at, length: Math.min(COPY_CHUNK, end - at) }, ranges.reader));
  };
  let offset = 0;
  const lengths = record.lengths.map((length, index) => {
    const text = swap.get(index);
    offset += length;
    if (!text) return length;
    copyUpTo(offset - length);
    pieces.push(text);
    copiedTo = offset;
    return text.byteLength;
  });
  copyUpTo(size);
  return { pieces, lengths };
}

function sameBytes(lengths: readonly number[], swap: ReadonlyMap<number, Text>, ranges: FileRanges): boolean {
  let end = 0;
  const offsets = lengths.map((length) => (end += length) - length);
  for (const [index, text] of swap) {
    if (text.byteLength !== lengths[index]) return false;
    if (!ranges.reader({ offset: offsets[index], length: lengths[index] }, true).equals(text.bytes())) return false;
  }
  return true;
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return decline(`${file} is gone`);
  }
}

/** A generator that renders no dataset, run again over the project and the files it reads. */
function rerun(ctx: PatchContext, generator: Generator, staged: ReadonlyMap<string, OutputFile>): OutputFile[] {
  const whole = (): never => {
    throw new WholeCatalogNeeded();
  };
  const catalog = { ...ctx.catalog, get datasets(): Dataset[] { return whole(); } };
  try {
    return ctx.scopes.within(generatorScope(generator.name), () => generator.generate(catalog, { report: ctx.report, inputs: inputsOf(ctx, generator, staged), perDataset: whole }));
  } catch (error) {
    if (error instanceof WholeCatalogNeeded) return decline(`${generator.name} reads the datasets`);
    throw error;
  }
}

/**
 * The files of the generators this one reads (`after`), in the order a whole build hands them
 * over: staged ones as staged, the others as they are in out/ (unchanged, so the same bytes).
 */
function inputsOf(ctx: PatchContext, generator: Generator, staged: ReadonlyMap<string, OutputFile>): Map<string, OutputFile> {
  const inputs = new Map<string, OutputFile>();
  const reads = new Set(generator.after ?? []);
  for (const { name } of ctx.trace.header.generators) {
    if (!reads.has(name)) continue;
    for (const path of ctx.trace.paths(name)) inputs.set(path, staged.get(path) ?? fileInOut(ctx.request.out, path, ctx.oldLock.datasets(path) ?? []));
  }
  return inputs;
}

function fileInOut(out: string, path: string, datasets: readonly string[]): OutputFile {
  const file = join(out, path);
  const text = Text.stored('', { offset: 0, length: sizeOf(file) }, () => readFileSync(file));
  return { path, datasets, pieces: [text], get content() { return readFileSync(file, 'utf8'); } };
}

/** The re-run wrote the same files, from the same datasets, as last time. */
function samePaths(files: readonly OutputFile[], recorded: readonly string[], oldLock: LockEntries): boolean {
  const paths = new Set(recorded);
  return files.length === paths.size && files.every((file) => paths.has(file.path)
    && JSON.stringify([...new Set(file.datasets)].sort(compareStrings)) === JSON.stringify(oldLock.datasets(file.path)));
}

/** The lock with each staged file's new sha256 in place: the same length, so nothing else moves. */
function patchedLock(bytes: Buffer, hashes: ReadonlyMap<string, Hashed>, oldLock: LockEntries): Buffer {
  const patched = Buffer.from(bytes);
  for (const [path, hash] of hashes) {
    const at = oldLock.sha256At(path);
    if (at === undefined) return decline(`${path} is not in the lock`);
    patched.write(hash.sha256, at, 'latin1');
  }
  return patched;
}

/**
 * Last time's diagnostics by scope, with the scopes the patch redid (the changed datasets', the
 * re-run generators') replaced. A kept diagnostic that points into a changed file may have moved
 * with its lines: declined.
 */
function mergedScopes(trace: BuildTrace, scopes: DiagnosticScopes, changed: readonly string[], rerun: ReadonlySet<string>): Map<string, Diagnostic[]> {
  const merged = new Map(Object.entries(trace.header.scopes));
  const redone = new Set([...changed.map(datasetScope), ...[...rerun].map(generatorScope)]);
  for (const scope of redone) merged.delete(scope);
  const files = new Set(changed);
  for (const [scope, list] of merged) {
    const moved = list.find((d) => files.has(d.file));
    if (moved) decline(`${scope} reported ${moved.code} in ${moved.file}, which changed`);
  }
  for (const [scope, list] of scopes.byScope) if (redone.has(scope) && list.length > 0) merged.set(scope, list);
  return merged;
}

/** What a whole build would print: every scope's diagnostics, once each, sorted. */
function sortedDiagnostics(scopes: ReadonlyMap<string, readonly Diagnostic[]>): Diagnostic[] {
  const report = new Reporter(new SourceIndex());
  for (const list of scopes.values()) report.replay(list);
  return report.sorted();
}

/** The cache, the output records and the trace now describe the patched out/ (all in their overlays). */
function saveRecords(ctx: PatchContext, trace: Trace, outcome: PatchedOutputs & { lockHash: string; scopes: ReadonlyMap<string, Diagnostic[]> }): void {
  ctx.cache.save();
  const records: OutputRecords = ctx.cache.outputRecords() ?? { lockHash: '', files: {} };
  records.lockHash = outcome.lockHash;
  for (const [path, hash] of outcome.hashes) {
    const { signature } = outcome.ropes.get(path) ?? {};
    records.files[path] = signature === undefined ? null : { signature, sha256: hash.sha256, size: hash.size };
  }
  ctx.cache.saveOutputRecords(records);
  const header = { ...trace.header, lockHash: outcome.lockHash, datasetHashes: { ...trace.header.datasetHashes }, scopes: Object.fromEntries(outcome.scopes) };
  const entries = new Map(trace.overlay);
  for (const file of ctx.changed) {
    header.datasetHashes[file] = ctx.request.files.datasets.get(file)?.hash as string;
    entries.set(datasetEntry(file), encode(outcome.datasetTraces.get(file)));
  }
  for (const [path, { rope }] of outcome.ropes) if (rope) entries.set(ropeEntry(path), encode({ ...rope, stamp: outStamp(join(ctx.request.out, path)) }));
  savePatchedTrace(ctx.request.cacheDir, { header, entries });
}
