// What a whole build leaves for a patch build (core/patch.ts): per dataset, a hash of each of its
// fields and of each path into them a plan reads, and the fragments each plan asked for and the
// files they went to; per output file made of several pieces, its pieces' lengths and which
// fragment's Text each is; what each plan read of each dataset (its view), who holds each name
// the catalog's rules keep unique, and who reported which diagnostic.
// Stored as an indexed entries file (core/entry-file.ts) whose entries are read one at a time; a
// patch build writes its changes to the overlay beside it, which the next whole build replaces.
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { OutputTree, RenderTrace } from './build.js';
import { compareStrings, type Diagnostic } from './diagnostics.js';
import { openIndexed, overlayOf, readLayered, writeEntries, writeIndexed } from './entry-file.js';
import { hash } from 'node:crypto';
import { LOCK_FILE } from './lock.js';
import type { DatasetField, DatasetPath, Generator, OutputFile } from '../generators/types.js';
import type { Dataset } from '../schemas/catalog.js';
import { fragmentTag } from './fragments.js';
import { CATALOG_RULES_READ } from './rules.js';
import { SortedLines, sortedLinesOf } from './sorted-lines.js';
import { Text, type Piece } from './text.js';

const TRACE_FILE = 'trace.bin';
const TRACE_FORMAT = 4;

export interface TraceHeader {
  format: number;
  /** The cache key it belongs to (steller's code and steller.yaml). */
  key: string;
  /** steller.yaml and every file of the catalog that is not a dataset (templates): a patch needs them unchanged. */
  othersHash: string;
  templatesHash: string;
  /** The sha256 of the lock file the build wrote: the trace describes that out/ and no other. */
  lockHash: string;
  /** Every dataset file's sha256 at that build. */
  datasetHashes: Record<string, string>;
  /** The generators in the order they ran (the files each wrote are entry `g\0<name>`). */
  generators: GeneratorInfo[];
  /** Diagnostics by scope (core/diagnostics.ts DiagnosticScopes): the catalog's, each generator's plan's, each dataset's. */
  scopes: Record<string, Diagnostic[]>;
}

/** A fragment a generator's plan asked for: the salt it was rendered with, its shape, its tag, and where its Texts went. */
export interface FragmentTrace {
  salt: string;
  shape: string;
  /** Short for its cache key (core/fragments.ts `fragmentTag`): the pieces of a rope that are its Texts carry it. */
  tag: string;
  /** Files made of several pieces that hold its Texts (their records say which pieces). */
  ropes: string[];
  /** Files that are one of its Texts and nothing else: the Text's index. */
  whole: Record<string, number>;
}

/** What a patch build knows of a generator without loading it. */
export type GeneratorInfo = Pick<Generator, 'name' | 'after' | 'inputReads' | 'planReads' | 'renderReads' | 'renderReadsWhen'>;

/** A dataset's hashes a patch build compares: of each of its fields that is present. */
export interface DatasetHashes {
  fields: Record<string, string>;
}

export interface DatasetTrace extends DatasetHashes {
  /** Per generator, the fragments its plan asked for, in order. */
  fragments: Record<string, FragmentTrace[]>;
  /**
   * Written by a patch build that changed the dataset: its view and the names it claims now. A
   * whole build records those of every dataset together (`views`, `claims`).
   */
  patched?: { view: DatasetView; claims: string[] };
}

/**
 * An output file made of several pieces: the datasets it came from, each piece's length in bytes,
 * and the file's stat in out/ when it was written (a patch copies from it only while it is unchanged).
 */
export interface RopeRecord {
  datasets: readonly string[];
  lengths: number[];
  /** Per piece, `<fragment tag>#<Text index>` when it is a fragment's Text, else null. */
  texts: (string | null)[];
  /** What identifies its bytes (core/output.ts `signatureOf`), when every Text is the cache's. */
  signature?: string;
  stamp?: OutStamp;
}

export interface OutStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}

export function outStamp(file: string): OutStamp | undefined {
  try {
    const { size, mtimeMs, ino } = statSync(file);
    return { size, mtimeMs, ino };
  } catch {
    return undefined;
  }
}

export interface BuildTrace {
  header: TraceHeader;
  dataset(file: string): DatasetTrace | undefined;
  rope(path: string): RopeRecord | undefined;
  paths(generator: string): string[];
  asked(generator: string): Record<string, string[]>;
  /** Who held each name the catalog's rules keep unique (core/rules.ts `claimName`) at the last whole build. */
  claims(): SortedLines;
  views(): Record<string, DatasetView>;
}

export interface TraceChanges {
  header: TraceHeader;
  entries: ReadonlyMap<string, Uint8Array>;
}

/**
 * What a whole build knew of the catalog as a whole: who holds each name (core/rules.ts), each
 * dataset's view, and each file's signature as the writer computed it (core/output.ts).
 */
export interface CatalogTrace {
  claims: ReadonlyMap<string, string>;
  views: ReadonlyMap<string, DatasetView>;
  signatures: Readonly<Record<string, { signature: string } | null>>;
}

/** The trace of a whole build, from what it rendered and reported. */
export function traceOf(
  fixed: Omit<TraceHeader, 'format' | 'generators' | 'scopes'>, datasets: ReadonlyMap<string, DatasetHashes>,
  render: RenderTrace, tree: OutputTree, scopes: ReadonlyMap<string, readonly Diagnostic[]>, out: string, catalog: CatalogTrace,
): TraceChanges {
  const entries = new Map<string, Uint8Array>();
  const placed = new Map<string, Pick<FragmentTrace, 'ropes' | 'whole'>>();
  const placesOf = (tag: string) => {
    const places = placed.get(tag) ?? { ropes: [], whole: {} };
    placed.set(tag, places);
    return places;
  };
  for (const [path, file] of tree) {
    if (path === LOCK_FILE || !file.pieces) continue;
    const { pieces } = file;
    const single = pieces.length === 1 && typeof pieces[0] !== 'string' ? pieces[0].id : undefined;
    if (single !== undefined) {
      placesOf(fragmentTag(fragmentKeyOfText(single))).whole[path] = textIndexOf(single);
      continue;
    }
    const record = ropeRecordOf(file, pieces);
    for (const tag of new Set(record.texts.map((text) => text && text.slice(0, text.lastIndexOf('#'))))) if (tag) placesOf(tag).ropes.push(path);
    entries.set(ropeEntry(path), encode({ ...record, signature: catalog.signatures[path]?.signature, stamp: outStamp(join(out, path)) }));
  }
  const traces = new Map<string, DatasetTrace>([...datasets].map(([file, hashes]) => [file, { ...hashes, fragments: {} }]));
  for (const generator of render.generators) {
    entries.set(pathsEntry(generator.name), encode(generator.paths));
    const asked: Record<string, string[]> = {};
    for (const [file, fragments] of generator.fragments) {
      const trace = traces.get(file);
      const tags = fragments.map(({ key }) => fragmentTag(key));
      asked[file] = tags;
      if (trace) trace.fragments[generator.name] = fragments.map(({ salt, shape }, i) => ({ salt, shape, tag: tags[i], ...(placed.get(tags[i]) ?? { ropes: [], whole: {} }) }));
    }
    entries.set(askedEntry(generator.name), encode(asked));
  }
  for (const [file, trace] of traces) entries.set(datasetEntry(file), encode(trace));
  entries.set(CLAIMS_ENTRY, Buffer.from(sortedLinesOf(catalog.claims), 'utf8'));
  entries.set(VIEWS_ENTRY, encode(Object.fromEntries(catalog.views)));
  const header: TraceHeader = {
    format: TRACE_FORMAT,
    ...fixed,
    generators: render.generators.map(({ name, after, inputReads, planReads, renderReads, renderReadsWhen }) => ({
      name, ...(after ? { after } : {}), ...(inputReads ? { inputReads } : {}), ...(planReads ? { planReads } : {}), ...(renderReads ? { renderReads } : {}), ...(renderReadsWhen ? { renderReadsWhen } : {}),
    })),
    scopes: Object.fromEntries([...scopes].filter(([, list]) => list.length > 0).map(([scope, list]) => [scope, [...list]])),
  };
  return { header, entries };
}

/** What a Text is called in a rope record: its fragment's tag and its index there. */
export function textTagOf(id: string): string {
  return `${fragmentTag(fragmentKeyOfText(id))}#${textIndexOf(id)}`;
}

export function ropeRecordOf(file: OutputFile, pieces: readonly Piece[]): RopeRecord {
  return {
    datasets: file.datasets,
    lengths: pieces.map((piece) => (typeof piece === 'string' ? Buffer.byteLength(piece, 'utf8') : piece.byteLength)),
    texts: pieces.map((piece) => (typeof piece === 'string' || piece.id === undefined ? null : textTagOf(piece.id))),
  };
}

/**
 * What the plans read of a dataset (planReads: values of fields and paths, presence of fields):
 * enough to run a plan again over datasets a patch build did not load (`datasetOfView`).
 */
export interface DatasetView {
  id: string;
  values: Record<string, unknown>;
  present: string[];
}

export function viewOf(dataset: Dataset, generators: readonly GeneratorInfo[]): DatasetView {
  const values: Record<string, unknown> = {};
  const present: string[] = [];
  for (const { planReads } of generators) {
    for (const path of planReads?.values ?? []) values[path] = select(dataset, path);
    for (const field of planReads?.presence ?? []) if (field in dataset && !present.includes(field)) present.push(field);
  }
  return { id: dataset.id, values, present: present.sort(compareStrings) };
}

/**
 * A stand-in for a dataset a plan may run over: its id, file, and what its view holds, at the
 * same paths (a list whose length alone was read holds empty items). Anything else is absent: a
 * plan reads nothing else (test/core/patch.test.ts), and its renderings come from the cache.
 */
export function datasetOfView(file: string, view: DatasetView): Dataset {
  const dataset: Record<string, unknown> = { source_file: file, id: view.id };
  for (const field of view.present) dataset[field] ??= null;
  for (const path in view.values) placerOf(path)(dataset, view.values[path]);
  return dataset as unknown as Dataset;
}

type Placer = (node: Record<string, unknown>, value: unknown) => void;

/** Per path, what puts a value there: built once, 10,000 views share a handful of paths. */
const placers = new Map<string, Placer>();

function placerOf(path: string): Placer {
  let placer = placers.get(path);
  if (!placer) placers.set(path, (placer = placerFor(path.split('.'), 0)));
  return placer;
}

function placerFor(steps: readonly string[], at: number): Placer {
  const step = steps[at];
  if (at === steps.length - 1) return (node, value) => void (node[step] = value);
  if (at === steps.length - 2 && steps[at + 1] === 'length') {
    return (node, value) => {
      const list = (node[step] ??= []) as unknown[];
      while (list.length < (value as number)) list.push({});
    };
  }
  const rest = placerFor(steps, at + 1);
  if (step.endsWith('[]')) {
    const field = step.slice(0, -2);
    return (node, value) => {
      const list = (node[field] ??= []) as Record<string, unknown>[];
      (value as unknown[]).forEach((item, i) => rest((list[i] ??= {}), item));
    };
  }
  return (node, value) => rest((node[step] ??= {}) as Record<string, unknown>, value);
}

/** A hash of each field present, and of what each of `paths` selects (see `select`). */
export function datasetHashesOf(dataset: Dataset, paths: readonly DatasetPath[] = []): DatasetHashes {
  const fields: Record<string, string> = {};
  for (const [field, value] of Object.entries(dataset)) if (field !== 'source_file') fields[field] = shortHash(exactJson(value));
  return { fields: { ...fields, ...pathHashesOf(dataset, paths) } };
}

function pathHashesOf(dataset: Dataset, paths: readonly DatasetPath[]): Record<string, string> {
  return Object.fromEntries(paths.map((path) => [path, shortHash(exactJson(select(dataset, path)))]));
}

/** Each dataset's hashes (of its fields, from its load), with those of the paths the plans read. */
export function planHashes(hashes: ReadonlyMap<string, DatasetHashes>, datasets: readonly Dataset[], generators: readonly GeneratorInfo[]): Map<string, DatasetHashes> {
  const paths = planPaths(generators);
  return new Map(datasets.map((dataset) => {
    const loaded = hashes.get(dataset.source_file) ?? datasetHashesOf(dataset);
    return [dataset.source_file, { fields: { ...loaded.fields, ...pathHashesOf(dataset, paths) } }];
  }));
}

/** The paths into fields that the catalog's rules, and these generators' plans and renderings, read (not whole fields). */
export function planPaths(generators: readonly GeneratorInfo[]): DatasetPath[] {
  const read = generators.flatMap((g) => [...(g.planReads?.values ?? []), ...(g.renderReads ?? []), ...(g.renderReadsWhen ?? []).flatMap((c) => c.reads)]);
  const paths = [...CATALOG_RULES_READ, ...read].filter((path) => path.includes('.'));
  return [...new Set(paths)].sort(compareStrings);
}

/** What a path selects of a dataset: `a.b` a key, `a.b.length` a list's length, `a.b[].c` that key of every item. */
export function select(dataset: Dataset, path: DatasetPath): unknown {
  const steps = path.split('.');
  const walk = (value: unknown, at: number): unknown => {
    if (at === steps.length) return value;
    const each = steps[at].endsWith('[]');
    const key = each ? steps[at].slice(0, -2) : steps[at];
    const next = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[key];
    if (!each) return walk(next, at + 1);
    return Array.isArray(next) ? next.map((item) => walk(item, at + 1)) : undefined;
  };
  return walk(dataset, 0);
}

/** The fields and paths whose hashes differ, and of the fields those present in only one of the two. */
export function fieldChanges(before: DatasetHashes, now: DatasetHashes): { changed: Set<DatasetPath>; flipped: Set<DatasetField> } {
  const changed = new Set<DatasetPath>();
  const flipped = new Set<DatasetField>();
  for (const key of new Set([...Object.keys(before.fields), ...Object.keys(now.fields)]) as Set<DatasetPath>) {
    if (before.fields[key] === now.fields[key]) continue;
    changed.add(key);
    if (!key.includes('.') && (before.fields[key] === undefined || now.fields[key] === undefined)) flipped.add(key as DatasetField);
  }
  return { changed, flipped };
}

/** What a generator's plan may read of a fragment: its value with its Texts blanked. */
export function shapeHashOf(value: unknown): string {
  return shortHash(exactJson(value));
}

/** 128 bits of sha256, in 22 characters: these are compared, never shown. */
function shortHash(text: string): string {
  return hash('sha256', text, 'base64url').slice(0, 22);
}

/** JSON that tells apart what JSON.stringify does not (NaN, ±Infinity, -0, undefined); Texts blanked. */
function exactJson(value: unknown): string {
  return JSON.stringify(value, (_key, node: unknown) => {
    if (node instanceof Text) return '\u0000text';
    if (node === undefined || (typeof node === 'number' && (!Number.isFinite(node) || Object.is(node, -0)))) return `\u0000${Object.is(node, -0) ? '-0' : String(node)}`;
    return node;
  });
}

function textIndexOf(id: string): number {
  return Number(id.slice(id.lastIndexOf('#') + 1));
}

/** The id of a stored Text is `<fragment key>#<index>` (core/cache.ts). */
function fragmentKeyOfText(id: string): string {
  return id.slice(0, id.lastIndexOf('#'));
}

/** A whole build's trace: the main file, and no overlay. */
export function saveTrace(cacheDir: string, trace: TraceChanges): void {
  writeIndexed(join(cacheDir, TRACE_FILE), trace.header, trace.entries);
  rmSync(overlayOf(join(cacheDir, TRACE_FILE)), { force: true });
}

/** A patch build's changes: the overlay, with what earlier patches put there. */
export function savePatchedTrace(cacheDir: string, trace: TraceChanges): void {
  writeEntries(overlayOf(join(cacheDir, TRACE_FILE)), trace.header, trace.entries);
}

/**
 * The last build's trace, when it belongs to this cache key: the main file's entries read one at
 * a time, the overlay's over them; `overlay` holds the entries patches wrote. Call `close`.
 */
export function readTrace(cacheDir: string, key: string): (BuildTrace & { overlay: Map<string, Uint8Array>; close(): void }) | undefined {
  const valid = (header: unknown) => (header as TraceHeader | undefined)?.format === TRACE_FORMAT && (header as TraceHeader).key === key;
  const file = join(cacheDir, TRACE_FILE);
  const main = openIndexed(file, valid);
  const overlay = readLayered(file, valid, { base: false });
  if (!main) return undefined;
  const decoded = <T>(name: string): T | undefined => {
    const bytes = overlay?.overlay.get(name) ?? main.read(name);
    return bytes && (JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as T);
  };
  return {
    header: (overlay?.header ?? main.header) as TraceHeader,
    overlay: overlay?.overlay ?? new Map(),
    dataset: (file) => decoded<DatasetTrace>(datasetEntry(file)),
    rope: (path) => decoded<RopeRecord>(ropeEntry(path)),
    paths: (generator) => decoded<string[]>(pathsEntry(generator)) ?? [],
    asked: (generator) => decoded<Record<string, string[]>>(askedEntry(generator)) ?? {},
    claims: () => {
      const bytes = overlay?.overlay.get(CLAIMS_ENTRY) ?? main.read(CLAIMS_ENTRY);
      return new SortedLines(bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.alloc(0));
    },
    views: () => decoded<Record<string, DatasetView>>(VIEWS_ENTRY) ?? {},
    close: () => main.close(),
  };
}

export function datasetEntry(file: string): string {
  return `d\0${file}`;
}

export const CLAIMS_ENTRY = 'claims';
export const VIEWS_ENTRY = 'views';

/** Per dataset file, the tags of the fragments a generator's plan asked for, in order. */
export function askedEntry(generator: string): string {
  return `k\0${generator}`;
}

export function ropeEntry(path: string): string {
  return `r\0${path}`;
}

function pathsEntry(generator: string): string {
  return `g\0${generator}`;
}

export function encode(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}
