// A patch build: the rebuild after a few dataset files changed. When they changed only in fields
// no plan reads (a title, a summary, variables, a schedule's time, a retry policy, QC thresholds:
// each generator declares what its plan reads, `planReads`), every generator plans as last time,
// so each output is last time's rope with those datasets' Texts swapped for their new renderings:
// nothing else is loaded, planned or decoded, the unchanged stretches of a file are copied from
// out/ itself, and a file whose new Texts have the bytes of the old is not written at all. A
// generator whose plan reads what changed (a datasetID orders datasets.xml) plans again over the
// whole catalog, the other datasets standing in as the views of them the trace keeps, their
// fragments from the cache; the catalog's rules check the changed datasets' names against the
// holders the trace keeps. Anything that would change another dataset's record (a file added or
// removed, an output that now holds other datasets, steller.yaml, a template, an error) is
// declined, and a whole build does it. test/core/patch.test.ts holds the two to the same bytes.
import { close, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog, Dataset } from '../schemas/catalog.js';
import type { DatasetField, DatasetPath, Generator, GeneratorContext, OutputFile } from '../generators/types.js';
import { GENERATOR_MODULES } from '../generators/modules.js';
import { datasetFingerprint, fragmentKey, fragmentTag, memoizedRenders, type PlanFragment } from './fragments.js';
import {
  datasetEntry, datasetHashesOf, datasetOfView, encode, select, fieldChanges, outStamp, planPaths, readTrace, ropeEntry, ropeRecordOf, savePatchedTrace, shapeHashOf, textTagOf, viewOf,
  type DatasetHashes, type DatasetTrace, type DatasetView, type FragmentTrace, type GeneratorInfo, type RopeRecord,
} from './build-trace.js';
import { CATALOG_RULES_READ, claimName, claimsOf } from './rules.js';
import { BuildCache, FileRanges, type OutputRecords } from './cache.js';
import type { CatalogFiles } from './catalog-files.js';
import { compareStrings, datasetScope, DiagnosticScopes, generatorScope, Reporter, type Diagnostic } from './diagnostics.js';
import { loadDataset, loadProject } from './load.js';
import { LockEntries, LOCK_FILE, sha256 } from './lock.js';
import { signatureOf, signatureOfParts, type Hashed, type TreeChanges } from './output.js';
import { SpareFiles, Staging, type Staged } from './staging.js';
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

  const since = patchedSince(trace);
  const loaded = loadChanged(request, trace, since, changed, cache);
  request.lap('patch: loaded the changed datasets');
  const oldLockBytes = request.lock;
  const oldLock = LockEntries.of(oldLockBytes);
  if (!oldLock) return decline('out/\'s lock is not laid out as this steller writes it');
  const staging = new Staging(out, { spares: SpareFiles.inCache(request.cacheDir, out) });
  const opened: number[] = [];
  try {
    const ctx: PatchContext = { ...loaded, request, trace, since, oldLock, staging, changed, opened, cache, ropes: new Map() };
    const result = await patchOutputs(ctx);
    request.lap('patch: rendered and staged');
    const merged = mergedScopes(trace, loaded.scopes, changed, result.rerun);
    const diagnostics = sortedDiagnostics(merged);
    if (request.strict && diagnostics.length > 0) return decline('--strict, and there are warnings');
    const lockBytes = patchedLock(result, oldLock);
    const changes: TreeChanges = { added: [], changed: [...result.hashes].filter(([path, hash]) => oldLock.sha256(path) !== hash.sha256).map(([path]) => path), removed: [] };
    if (!lockBytes.equals(oldLockBytes)) {
      staging.writeUnhashed(LOCK_FILE, [lockBytes.toString('utf8')], { replacing: true });
      await staging.flushed();
      // Everything is staged; each file now replaces its old self by a rename, the lock last.
      for (const path of changes.changed) staging.moveTo(join(out, path), path);
      staging.moveTo(join(out, LOCK_FILE), LOCK_FILE);
      changes.changed = [...changes.changed, LOCK_FILE].sort(compareStrings);
    }
    // Out of the way before the records are written, so that the old files' blocks are freed
    // while they are (see `release`).
    release(staging, opened);
    request.lap('patch: wrote out/');
    const lockHash = sha256(lockBytes);
    saveRecords(ctx, trace, { ...result, lockHash, scopes: merged });
    return { diagnostics, changes, lockHash };
  } finally {
    release(staging, opened);
  }
}

/**
 * Removes the staging folder, then closes the old files a patch copied from. Those were renamed
 * over: closing them frees their blocks (190 MB at 10,000 datasets), work a pool thread does,
 * and a removal after it waited for that (40 ms).
 */
function release(staging: Staging, opened: number[]): void {
  staging.remove();
  for (const fd of opened.splice(0)) close(fd, () => {});
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
  /** Per changed file, which fields and traced paths changed, and its new hashes, view and claims. */
  changedKeys: Map<string, Set<DatasetPath>>;
  hashes: Map<string, DatasetHashes>;
  patched: Map<string, NonNullable<DatasetTrace['patched']>>;
  /** Generators whose plan reads something that changed: they plan the whole catalog again. */
  replans: Set<string>;
}

/** The changed files, loaded: declined when one has an error, or claims a name another dataset holds. */
function loadChanged(request: PatchRequest, trace: Trace, since: ReadonlyMap<string, DatasetTrace>, changed: readonly string[], cache: BuildCache): Loaded {
  const { files } = request;
  const sources = new SourceIndex();
  const report = new Reporter(sources);
  const project = loadProject(files, sources, report);
  if (!project) return decline('steller.yaml does not load');
  const scopes = new DiagnosticScopes(report);
  const templates = new TemplateResolver(request.catalogRoot, report);
  const datasets: Dataset[] = [];
  const changedKeys = new Map<string, Set<DatasetPath>>();
  const hashes = new Map<string, DatasetHashes>();
  const patched = new Map<string, NonNullable<DatasetTrace['patched']>>();
  const replans = new Set<string>();
  let claimsChanged = false;
  const { generators } = trace.header;
  for (const file of changed) {
    const catalogFile = files.datasets.get(file);
    const before = trace.dataset(file);
    if (!catalogFile || !before) return decline(`no record of ${file}`);
    const scope = datasetScope(file);
    const dataset = scopes.within(scope, () => loadDataset(file, catalogFile.bytes(), project, templates, sources, report));
    const diagnostics = scopes.byScope.get(scope) ?? [];
    if (!dataset || diagnostics.some((d) => d.severity === 'error')) return decline(`${file} has errors`);
    const now = datasetHashesOf(dataset, planPaths(generators));
    const { changed: keys, flipped } = fieldChanges(before, now);
    for (const name of plannedWith(keys, flipped, generators)) replans.add(name);
    claimsChanged ||= CATALOG_RULES_READ.some((path) => keys.has(path));
    hashes.set(file, now);
    changedKeys.set(file, keys);
    patched.set(file, { view: viewOf(dataset, generators), claims: claimsOf(dataset).map(claimName) });
    cache.storeDataset(file, { textHash: catalogFile.hash, dataset, diagnostics: [...diagnostics], hashes: now });
    datasets.push(dataset);
  }
  if (claimsChanged) checkClaims(trace, since, datasets);
  datasets.sort((a, b) => compareStrings(a.id, b.id));
  const fileHashes = new Map(changed.map((file) => [file, files.datasets.get(file)?.hash as string]));
  return { catalog: { project, datasets, templates: templates.texts, fileHashes }, scopes, report, changedKeys, hashes, patched, replans };
}

/** The generators whose plan reads a changed field or path; declined when one does not say what it reads. */
function plannedWith(changed: ReadonlySet<DatasetPath>, flipped: ReadonlySet<DatasetField>, generators: readonly GeneratorInfo[]): string[] {
  const names: string[] = [];
  for (const { name, planReads } of generators) {
    if (changed.size > 0 && !planReads) return decline(`${name}'s plan may read anything`);
    const reads = [...changed].some((key) => planReads?.values.includes(key) || (flipped.has(key as DatasetField) && planReads?.presence?.includes(key as DatasetField)));
    if (reads) names.push(name);
  }
  return names;
}

/** The datasets patch builds changed since the last whole build, with what they recorded. */
function patchedSince(trace: Trace): Map<string, DatasetTrace> {
  const patched = new Map<string, DatasetTrace>();
  for (const name of trace.overlay.keys()) {
    if (!name.startsWith(datasetEntry(''))) continue;
    const file = name.slice(datasetEntry('').length);
    patched.set(file, trace.dataset(file) as DatasetTrace);
  }
  return patched;
}

/**
 * The catalog's rules, for the changed datasets: none may claim a name (an id, a datasetID on a
 * server) another dataset holds. Declined when one does: the whole build reports it, with the
 * file that keeps the name. The holders are the last whole build's, with the patches' since.
 */
function checkClaims(trace: Trace, since: ReadonlyMap<string, DatasetTrace>, datasets: readonly Dataset[]): void {
  const changed = new Set(datasets.map((d) => d.source_file));
  const recorded = trace.claims();
  const heldSince = new Map<string, string>();
  for (const [file, { patched }] of since) {
    if (!patched) return decline(`no record of what ${file} claims`);
    if (!changed.has(file)) for (const name of patched.claims) heldSince.set(name, file);
  }
  // A dataset patched since holds what its last patch recorded; any other, what the whole build did.
  const holderOf = (name: string) => {
    const holder = heldSince.get(name) ?? (recorded.get(name) as string | undefined);
    return holder === undefined || changed.has(holder) || (since.has(holder) && heldSince.get(name) !== holder) ? undefined : holder;
  };
  const claimed = new Map<string, string>();
  for (const dataset of datasets) {
    for (const claim of claimsOf(dataset)) {
      const name = claimName(claim);
      const holder = claimed.get(name) ?? holderOf(name);
      if (holder !== undefined) decline(`${dataset.source_file} claims "${claim.shown}", which ${holder} holds`);
      claimed.set(name, dataset.source_file);
    }
  }
}

interface PatchContext extends Loaded {
  request: PatchRequest;
  trace: Trace;
  /** The datasets patches changed since the last whole build (`patchedSince`). */
  since: ReadonlyMap<string, DatasetTrace>;
  oldLock: LockEntries;
  staging: Staging;
  changed: readonly string[];
  /** Descriptors of out/ files being copied from, closed when the patch ends. */
  opened: number[];
  cache: BuildCache;
  /** Rope records read so far (each is read once). */
  ropes: Map<string, RopeRecord>;
  /** See `viewsBefore`. */
  views?: Map<string, DatasetView>;
}

interface PatchedOutputs {
  /** Every file staged, with its new hash. */
  hashes: Map<string, Hashed>;
  /** The new record and signature of each staged file (no record: a single Text, or plain content). */
  ropes: Map<string, { rope?: RopeRecord; signature: string | undefined }>;
  /** Per changed dataset file, its trace with its new hashes. */
  datasetTraces: Map<string, DatasetTrace>;
  /** Generators run again in full: their plans' diagnostics are this build's. */
  rerun: Set<string>;
  /** Files whose list of datasets changed (a dataset given a schedule joins its namespace's jobs), with the new list. */
  datasetLists: Map<string, readonly string[]>;
  /** The generators some of whose files now hold other datasets. */
  relisted: Set<string>;
}

/** A generator's plan would not ask for the changed datasets' fragments as it did: it plans again. */
class Replan extends Error {}

async function patchOutputs(ctx: PatchContext): Promise<PatchedOutputs> {
  const result: PatchedOutputs = { hashes: new Map(), ropes: new Map(), datasetTraces: new Map(), rerun: new Set(), datasetLists: new Map(), relisted: new Set() };
  for (const file of ctx.changed) {
    result.datasetTraces.set(file, { ...(ctx.trace.dataset(file) as DatasetTrace), ...(ctx.hashes.get(file) as DatasetHashes), patched: ctx.patched.get(file) });
  }
  /** Files staged so far, as the generators that come later may read them. */
  const staged = new Map<string, OutputFile>();
  const changedBy = new Set<string>();
  const written = new Map<string, Staged>();
  const stage = (generator: string, file: OutputFile) => {
    const hash = ctx.staging.write(file.path, piecesOf(file), { replacing: true });
    written.set(file.path, hash);
    staged.set(file.path, file);
    // A big file is still being hashed: taken as changed (the generators reading it run again, and at worst render the same).
    if (typeof hash.sha256 !== 'string' || ctx.oldLock.sha256(file.path) !== hash.sha256) changedBy.add(generator);
  };
  const recorded = ctx.trace.header.generators;
  const datasetsByFile = new Map(ctx.catalog.datasets.map((dataset) => [dataset.source_file, dataset]));
  if (recorded.map((g) => g.name).join() !== GENERATOR_MODULES.map((m) => m.name).join()) return decline('the generators are not those of the last build');
  for (const [index, info] of recorded.entries()) {
    const fragmented = ctx.changed.filter((file) => (result.datasetTraces.get(file)?.fragments[info.name]?.length ?? 0) > 0);
    // A rendering that reads none of what changed renders what it rendered last time.
    const touched = fragmented.filter((file) => rendersWhatChanged(info, ctx.changedKeys.get(file) ?? new Set(), datasetsByFile.get(file) as Dataset));
    const inputsChanged = (info.after ?? []).some((name) => (info.inputReads === 'listing' ? result.relisted : changedBy).has(name));
    if (ctx.replans.has(info.name) || (touched.length > 0 && inputsChanged)) {
      const generator = await GENERATOR_MODULES[index].load();
      for (const file of replan(ctx, generator, staged, result)) stage(info.name, file);
    } else if (touched.length > 0) {
      const generator = await GENERATOR_MODULES[index].load();
      let files: OutputFile[];
      try {
        files = swapFragments(ctx, generator, touched, staged, result);
      } catch (error) {
        if (!(error instanceof Replan)) throw error;
        files = replan(ctx, generator, staged, result);
      }
      for (const file of files) stage(info.name, file);
    } else if (inputsChanged) {
      const generator = await GENERATOR_MODULES[index].load();
      const files = rerun(ctx, generator, staged);
      checkFiles(ctx, info.name, files, result);
      result.rerun.add(info.name);
      for (const file of files) {
        result.ropes.set(file.path, { rope: file.pieces && ropeRecordOf(file, file.pieces), signature: signatureOf(file) });
        stage(info.name, file);
      }
    }
  }
  for (const [path, hash] of await ctx.staging.hashed(written)) result.hashes.set(path, hash);
  return result;
}

/** Whether a generator's renderings of `dataset` read something of what changed (`keys`: fields, and the paths the trace hashes). */
function rendersWhatChanged(info: GeneratorInfo, keys: ReadonlySet<DatasetPath>, dataset: Dataset): boolean {
  if (info.renderReads === undefined) return true;
  const conditional = (info.renderReadsWhen ?? []).filter(({ when }) => isSet(select(dataset, when))).flatMap(({ reads }) => reads);
  return [...info.renderReads, ...conditional].some((read) => keys.has(read));
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false;
}

/**
 * Renders the touched datasets' fragments (the generator run over just those datasets, each
 * fragment with the salt the whole build's plan gave it), checks that it asks for them as the
 * whole build did, with values of the same shape (else `Replan`), and returns each file that held
 * an old fragment's Texts with the new ones in their place.
 */
function swapFragments(ctx: PatchContext, generator: Generator, touched: readonly string[], staged: ReadonlyMap<string, OutputFile>, result: PatchedOutputs): OutputFile[] {
  const { trace } = ctx;
  const catalog = { ...ctx.catalog, datasets: ctx.catalog.datasets.filter((d) => touched.includes(d.source_file)) };
  const traced = (file: string) => result.datasetTraces.get(file)?.fragments[generator.name] ?? [];
  const fresh = new Map<string, PlanFragment[]>();
  const fingerprint = (dataset: Dataset) => datasetFingerprint(trace.header.templatesHash, dataset.source_file, catalog.fileHashes?.get(dataset.source_file) as string);
  const within = <T>(scope: string, work: () => T): T => ctx.scopes.within(scope, work);
  const perDataset = memoizedRenders(generator.name, { cache: ctx.cache, report: ctx.report, within, fingerprint }, (dataset, fragment) => {
    fresh.set(dataset.source_file, [...(fresh.get(dataset.source_file) ?? []), fragment]);
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
  const retagged = new Map<string, FragmentTrace[]>();
  for (const file of touched) {
    const before = traced(file);
    const now = fresh.get(file) ?? [];
    if (before.length !== now.length) throw new Replan(`${generator.name} asks for other fragments of ${file}`);
    retagged.set(file, before.map((fragment, i) => {
      if (now[i].shape !== fragment.shape) throw new Replan(`${generator.name}'s fragment of ${file} changed shape`);
      const texts: Text[] = [];
      forEachText(now[i].value, (text) => texts.push(text));
      for (const path of fragment.ropes) {
        const swap = swaps.get(path) ?? new Map<number, Text>();
        swaps.set(path, swap);
        for (const [piece, text] of placesIn(ropeOf(ctx, path), fragment.tag)) swap.set(piece, texts[text]);
      }
      for (const [path, index] of Object.entries(fragment.whole)) {
        const text = texts[index];
        if (sha256(text.bytes()) === ctx.oldLock.sha256(path)) continue;
        result.ropes.set(path, { signature: signatureOfParts([{ id: text.id as string }]) });
        files.push({ path, datasets: ctx.oldLock.datasets(path) ?? [], pieces: [text], get content() { return text.toString(); } });
      }
      return { ...fragment, tag: fragmentTag(now[i].key) };
    }));
  }
  for (const [file, fragments] of retagged) (result.datasetTraces.get(file) as DatasetTrace).fragments[generator.name] = fragments;
  for (const [path, swap] of [...swaps].sort(([a], [b]) => compareStrings(a, b))) {
    const record = ropeOf(ctx, path);
    const pieces = swapPieces(join(ctx.request.out, path), record, swap, ctx.opened);
    // The record names the new Texts also when the file stays as it is (their bytes are the old).
    const texts = record.texts.map((tag, piece) => {
      const text = swap.get(piece);
      return text ? textTagOf(text.id as string) : tag;
    });
    if (!pieces) {
      result.ropes.set(path, { rope: { datasets: record.datasets, lengths: record.lengths, texts }, signature: undefined });
      continue;
    }
    // The stretches copied from out/ are not Texts of the cache: the next whole build hashes the file once.
    result.ropes.set(path, { rope: { datasets: record.datasets, lengths: pieces.lengths, texts }, signature: undefined });
    files.push({ path, datasets: record.datasets, pieces: pieces.pieces, get content() { return pieces.pieces.map((p) => p.toString()).join(''); } });
  }
  return files;
}

function ropeOf(ctx: PatchContext, path: string): RopeRecord {
  let record = ctx.ropes.get(path);
  if (!record) ctx.ropes.set(path, (record = ctx.trace.rope(path) ?? decline(`no record of ${path}`)));
  return record;
}

/** The pieces of a rope that are a fragment's Texts: [piece index, Text index] pairs. */
function placesIn(record: RopeRecord, tag: string): [piece: number, text: number][] {
  const places: [number, number][] = [];
  record.texts.forEach((text, piece) => {
    if (text !== null && text.length > tag.length && text.startsWith(tag) && text[tag.length] === '#') places.push([piece, Number(text.slice(tag.length + 1))]);
  });
  return places;
}

/**
 * Runs a generator's plan again over the whole catalog: the changed datasets as loaded, every
 * other one as the view of it the last build recorded (what plans read), its fragments from the
 * cache. Declined when an unchanged dataset would be rendered afresh, asks for other fragments
 * or has them put in other files, or when the generator writes other files, or from other
 * datasets: then the records of the datasets not loaded here would be stale. Returns the files
 * whose Texts changed.
 */
function replan(ctx: PatchContext, generator: Generator, staged: ReadonlyMap<string, OutputFile>, result: PatchedOutputs): OutputFile[] {
  const { trace, since } = ctx;
  const loaded = new Map(ctx.catalog.datasets.map((dataset) => [dataset.source_file, dataset]));
  const views = viewsBefore(ctx);
  if (views.size !== ctx.request.files.datasets.size) return decline('no record of every dataset\'s view');
  const datasets = [...views].map(([file, view]) => loaded.get(file) ?? datasetOfView(file, view));
  // The views are in the last whole build's order, by id: sorted again only when an id changed.
  if (datasets.some((dataset, i) => i > 0 && compareStrings(datasets[i - 1].id, dataset.id) > 0)) datasets.sort((a, b) => compareStrings(a.id, b.id));
  const fileHashes = new Map([...ctx.request.files.datasets].map(([path, file]) => [path, file.hash]));
  const catalog: Catalog = { ...ctx.catalog, datasets, fileHashes };
  const asked = new Map<string, PlanFragment[]>();
  const fingerprint = (dataset: Dataset) => datasetFingerprint(trace.header.templatesHash, dataset.source_file, fileHashes.get(dataset.source_file) as string);
  const within = <T>(scope: string, work: () => T): T => ctx.scopes.within(scope, work);
  const onPlanFragment = (dataset: Dataset, fragment: PlanFragment) => asked.set(dataset.source_file, [...(asked.get(dataset.source_file) ?? []), fragment]);
  ctx.cache.readBaseFragments(generator.name);
  const renders = memoizedRenders(generator.name, { cache: ctx.cache, report: ctx.report, within, fingerprint }, onPlanFragment);
  // A stand-in's fragment comes from the cache as it is: no rendering (it has nothing to render
  // from), and no diagnostics (its dataset's are kept from the last build).
  const perDataset: GeneratorContext['perDataset'] = <T>(dataset: Dataset, render: (salt: string) => T, salt = ''): T => {
    if (loaded.has(dataset.source_file)) return renders(dataset, render, salt);
    const key = fragmentKey(generator.name, fingerprint(dataset), salt);
    const hit = ctx.cache.plannedFragment(key) ?? decline(`${generator.name}'s plan gives ${dataset.source_file} another fragment`);
    onPlanFragment(dataset, { key, salt, value: hit.value, shape: hit.shape ?? shapeHashOf(hit.value) });
    return hit.value as T;
  };
  const files = within(generatorScope(generator.name), () => generator.generate(catalog, { report: ctx.report, inputs: inputsOf(ctx, generator, staged), perDataset }));
  const relisted = checkFiles(ctx, generator.name, files, result);
  // A problem found in a dataset not loaded here has no line to point at.
  const unplaced = ctx.scopes.byScope.get(generatorScope(generator.name))?.find((d) => ctx.request.files.datasets.has(d.file) && !loaded.has(d.file));
  if (unplaced) return decline(`${generator.name}'s plan reports ${unplaced.code} in ${unplaced.file}, which is not loaded`);
  result.rerun.add(generator.name);

  // Unchanged datasets ask for the fragments they asked for last time (by tag: key and salt).
  const askedBefore = trace.asked(generator.name);
  const tagsBefore = (file: string) => since.get(file)?.fragments[generator.name]?.map((f) => f.tag) ?? askedBefore[file] ?? [];
  const changedTags = new Set<string>();
  for (const file of new Set([...Object.keys(askedBefore), ...since.keys(), ...asked.keys()])) {
    const now = (asked.get(file) ?? []).map((fragment) => fragmentTag(fragment.key));
    if (loaded.has(file)) {
      for (const tag of [...now, ...tagsBefore(file)]) changedTags.add(tag);
    } else if (now.join() !== tagsBefore(file).join()) {
      return decline(`${generator.name}'s plan asks ${file} for other fragments`);
    }
  }

  // Their Texts went into the same files as last time: ropes by their records, whole files by their signature.
  /** Per tag, the ropes holding its Texts (in the generator's order of files, the same both times). */
  const ropesBefore = new Map<string, string>();
  const ropesNow = new Map<string, string>();
  /** Per changed tag, the files that are one of its Texts. */
  const wholeNow = new Map<string, Record<string, number>>();
  const changedFiles: OutputFile[] = [];
  for (const file of files) {
    const pieces = piecesOf(file);
    const single = pieces.length === 1 && typeof pieces[0] !== 'string' ? pieces[0].id : undefined;
    const signature = signatureOf(file);
    if (single !== undefined) {
      const [tag, index] = textTagOf(single).split('#');
      // An unchanged dataset's fragment is the one it had (above), in the file it had (checkFiles).
      if (!changedTags.has(tag) && !relisted.has(file.path)) continue;
      wholeNow.set(tag, { ...wholeNow.get(tag), [file.path]: Number(index) });
      result.ropes.set(file.path, { signature });
    } else {
      const before = trace.rope(file.path);
      const rope = ropeRecordOf(file, pieces);
      addPlaces(ropesBefore, before?.texts ?? [], file.path);
      addPlaces(ropesNow, rope.texts, file.path);
      if (signature !== undefined && before?.signature === signature && !relisted.has(file.path)) continue;
      result.ropes.set(file.path, { rope: { ...rope, signature }, signature });
    }
    changedFiles.push(file);
  }
  for (const [tag, paths] of ropesNow) if (!changedTags.has(tag) && ropesBefore.get(tag) !== paths) return decline(`${generator.name}'s plan puts an unchanged dataset's texts in other files`);
  for (const [tag, paths] of ropesBefore) if (!changedTags.has(tag) && !ropesNow.has(tag)) return decline(`${generator.name}'s plan drops ${paths}'s texts of an unchanged dataset`);
  for (const [file, fragments] of asked) {
    const traced = result.datasetTraces.get(file);
    if (!traced) continue;
    traced.fragments[generator.name] = fragments.map(({ key, salt, shape }) => {
      const tag = fragmentTag(key);
      return { salt, shape, tag, ropes: ropesNow.get(tag)?.split('\n') ?? [], whole: wholeNow.get(tag) ?? {} };
    });
  }
  for (const file of ctx.changed) if (!asked.has(file)) delete (result.datasetTraces.get(file) as DatasetTrace).fragments[generator.name];
  return changedFiles;
}

/** Adds `path` to the places of each fragment whose Texts are among a rope's pieces. */
function addPlaces(places: Map<string, string>, texts: readonly (string | null)[], path: string): void {
  const last = `\n${path}`;
  for (const text of texts) {
    if (text === null) continue;
    const tag = text.slice(0, text.lastIndexOf('#'));
    const before = places.get(tag);
    if (before === undefined) places.set(tag, path);
    else if (before !== path && !before.endsWith(last)) places.set(tag, `${before}${last}`);
  }
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

/**
 * Holds a re-run or re-planned generator's files to last time's: the same paths, each from the
 * same datasets but for changed ones (a dataset given a schedule joins its namespace's harvest
 * file); an unchanged dataset may neither join nor leave a file. Records each new list in
 * `result.datasetLists`, and returns the paths whose list changed.
 */
function checkFiles(ctx: PatchContext, generator: string, files: readonly OutputFile[], result: PatchedOutputs): Set<string> {
  const recorded = new Set(ctx.trace.paths(generator));
  if (files.length !== recorded.size || files.some((file) => !recorded.has(file.path))) return decline(`${generator} now writes other files`);
  const relisted = new Set<string>();
  let changedIds: Set<string> | undefined;
  for (const file of files) {
    const now = [...new Set(file.datasets)].sort(compareStrings);
    const before = ctx.oldLock.datasets(file.path) ?? [];
    if (JSON.stringify(now) === JSON.stringify(before)) continue;
    changedIds ??= idsOfChanged(ctx);
    const moved = [...now.filter((id) => !before.includes(id)), ...before.filter((id) => !now.includes(id))];
    const unchanged = moved.find((id) => !changedIds?.has(id));
    if (unchanged !== undefined) return decline(`${generator}'s ${file.path} now ${now.includes(unchanged) ? 'holds' : 'drops'} unchanged dataset ${unchanged}`);
    result.datasetLists.set(file.path, now);
    relisted.add(file.path);
    result.relisted.add(generator);
  }
  return relisted;
}

/** The ids of the changed datasets, as they are now and as they were. */
function idsOfChanged(ctx: PatchContext): Set<string> {
  const views = viewsBefore(ctx);
  const before = ctx.changed.map((file) => views.get(file)?.id);
  return new Set([...ctx.catalog.datasets.map((dataset) => dataset.id), ...before.filter((id): id is string => id !== undefined)]);
}

/** Every dataset's view as the last build left it: the whole build's, with the patches' since (read once per patch). */
function viewsBefore(ctx: PatchContext): ReadonlyMap<string, DatasetView> {
  if (!ctx.views) {
    ctx.views = new Map(Object.entries(ctx.trace.views()));
    for (const [file, { patched }] of ctx.since) if (patched) ctx.views.set(file, patched.view);
  }
  return ctx.views;
}

/** The lock with each staged file's new sha256, and each new list of datasets, in place of the old. */
function patchedLock(result: PatchedOutputs, oldLock: LockEntries): Buffer {
  const entries = new Map<string, { sha256: string; datasets?: readonly string[] }>();
  for (const [path, hash] of result.hashes) entries.set(path, { sha256: hash.sha256, datasets: result.datasetLists.get(path) });
  for (const [path, datasets] of result.datasetLists) if (!entries.has(path)) entries.set(path, { sha256: oldLock.sha256(path) as string, datasets });
  return oldLock.patched(entries) ?? decline('a file is not in the lock');
}

/**
 * Last time's diagnostics by scope, with the scopes the patch redid (the changed datasets', the
 * re-run generators') replaced. A kept diagnostic that points into a changed file may have moved
 * with its lines: declined.
 */
function mergedScopes(trace: Trace, scopes: DiagnosticScopes, changed: readonly string[], rerun: ReadonlySet<string>): Map<string, Diagnostic[]> {
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
