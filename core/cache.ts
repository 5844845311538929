// The incremental-build cache. A rebuild reuses, per dataset file, the normalized model and its
// diagnostics when the file's bytes, steller.yaml and steller's own code are unchanged, and per
// dataset and generator the rendered fragment. A build whose every input is unchanged is
// answered from a small record of the last build without loading anything.
//
// The cache only ever saves work: a missing, stale or unreadable cache gives the same output.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { Dataset } from '../schemas/catalog.js';
import type { DatasetHashes } from './build-trace.js';
import { compareStrings, type Diagnostic } from './diagnostics.js';
import { overlayOf, readHeader, readLayered, writeAtomically, writeEntries } from './entry-file.js';
import { fragmentKey } from './fragments.js';
import { sha256 } from './lock.js';
import { forEachText, Text, type BlobReader, type TextLocation } from './text.js';

const CACHE_FORMAT = 6;
const DATASETS_FILE = 'datasets.bin';
const FRAGMENTS_FILE = 'fragments.bin';
const OUTPUTS_FILE = 'outputs.json';
/** The blob is rewritten with only the live texts when it grows past this many times their size. */
const COMPACT_RATIO = 2;
const COMPACT_ABOVE = 64 << 20;
/** Bytes read from the blob at once. */
const READ_AHEAD = 4 << 20;
/** Fresh text held in memory before it is moved to the blob. */
const PERSIST_EVERY = 16 << 20;

export interface DatasetEntry {
  textHash: string;
  /** Undefined when the file had errors. */
  dataset?: Dataset;
  diagnostics: Diagnostic[];
  /** What a patch build compares the dataset by (core/build-trace.ts), once computed. */
  hashes?: DatasetHashes;
}

export interface FragmentEntry {
  /** Plain data, possibly holding Texts (kept in the blob file, read back lazily). */
  value: unknown;
  diagnostics: Diagnostic[];
  /** The value's shape hash (core/build-trace.ts shapeHashOf), kept so a rebuild need not compute it. */
  shape?: string;
}

/** What the last successful build of this catalog into this out/ saw and said. */
export interface LastBuild {
  inputsHash: string;
  lockHash: string;
  fileCount: number;
  /** The mtime of each folder of out/ after the build: a file added or deleted there changes it. */
  folders: Record<string, number>;
  diagnostics: Diagnostic[];
}

/** Per output file of the last build: its rope's signature, sha256 and size (see core/output.ts). */
export interface OutputRecords {
  /** The cache key and lock they belong to: any other out/ or steller makes them void. */
  key?: string;
  lockHash: string;
  /** null in a patch build's overlay: the file has no record any more. */
  files: Record<string, OutputRecord | null>;
}

export interface OutputRecord {
  signature: string;
  sha256: string;
  size: number;
}

/** A stored Text, in a stored fragment's value. */
interface TextMark {
  $text: [offset: number, length: number];
}

/** Each entry is kept serialized on its own (core/entry-file.ts): a rebuild re-encodes only what it rendered afresh. */
interface StoredHeader {
  format: number;
  key: string;
  /** fragments.bin: the blob holding the texts, and its size when the index was written (a shorter blob cannot hold them). */
  blob?: string;
  blobSize?: number;
}

export class BuildCache {
  private storedDatasets: Map<string, Uint8Array> | undefined;
  private storedFragments: Map<string, Uint8Array> | undefined;
  private readonly usedDatasets = new Map<string, { bytes?: Uint8Array; entry: DatasetEntry }>();
  /** Fragments this build used; `bytes` is the stored form while it is still valid. */
  private readonly usedFragments = new Map<string, { bytes?: Uint8Array; entry: FragmentEntry }>();
  private readonly blob: Blob;
  private unpersisted: FragmentEntry[] = [];
  private unpersistedBytes = 0;

  /**
   * Opens the cache of one catalog; `key` covers everything that invalidates all entries at once.
   * Nothing is read yet. `compactAbove`: dead bytes tolerated in the blob (tests set 0).
   * `patching`: for a patch build (core/patch.ts), which reads and writes only the overlays
   * (`*.patch`) beside the main files; the next whole build folds them in.
   */
  static open(dir: string, key: string, options: { compactAbove?: number; patching?: boolean } = {}): BuildCache {
    return new BuildCache(dir, key, options.compactAbove ?? COMPACT_ABOVE, options.patching === true);
  }

  private constructor(private readonly dir: string, private readonly key: string, private readonly compactAbove: number, private readonly patching: boolean) {
    this.blob = new Blob(dir);
  }

  /** Entries of the overlays as read (a patch build writes them back with its own added). */
  private readonly overlays = new Map<string, Map<string, Uint8Array>>();

  /** The stored records, read on first use: a build answered from `lastBuild` never pays for them. */
  private get datasets(): Map<string, Uint8Array> {
    this.storedDatasets ??= this.read(DATASETS_FILE)?.entries ?? new Map();
    return this.storedDatasets;
  }

  private get fragments(): Map<string, Uint8Array> {
    return this.loadFragments();
  }

  private loadFragments(): Map<string, Uint8Array> {
    if (!this.storedFragments) {
      const stored = this.read(FRAGMENTS_FILE);
      this.storedFragments = this.useBlobOf(stored?.header) ? stored?.entries ?? new Map() : new Map();
    }
    return this.storedFragments;
  }

  /**
   * Whether texts can be added: the blob the fragments refer to is there. A patch build reads the
   * main fragments file's header alone (not its entries: it renders only a few datasets).
   */
  canPatch(): boolean {
    this.loadFragments();
    return this.blobKnown;
  }

  private blobKnown = false;

  private useBlobOf(header: unknown): boolean {
    const known = (header ?? (this.patching ? readHeader(join(this.dir, FRAGMENTS_FILE)) : undefined)) as StoredHeader | undefined;
    this.blobKnown = this.validHeader(known) && known.blob !== undefined && this.blob.use(known.blob, known.blobSize ?? 0);
    return this.blobKnown;
  }

  private validHeader(header: unknown): header is StoredHeader {
    return (header as StoredHeader | undefined)?.format === CACHE_FORMAT && (header as StoredHeader).key === this.key;
  }

  private read(name: string): { header: StoredHeader; entries: Map<string, Uint8Array> } | undefined {
    // No cache yet, or one from another version: start empty.
    const stored = readLayered(join(this.dir, name), (header) => this.validHeader(header), { base: !this.patching });
    this.overlays.set(name, stored?.overlay ?? new Map());
    return stored && { header: stored.header as StoredHeader, entries: stored.entries };
  }

  dataset(file: string, textHash: string): DatasetEntry | undefined {
    const bytes = this.datasets.get(file);
    const entry = bytes && (decodeEntry(bytes) as DatasetEntry);
    if (!entry || entry.textHash !== textHash) return undefined;
    this.usedDatasets.set(file, { bytes, entry });
    return entry;
  }

  storeDataset(file: string, entry: DatasetEntry): void {
    this.usedDatasets.set(file, { entry });
  }

  /**
   * The main fragments file's entries, for a patch build that runs a plan again over the whole
   * catalog (it otherwise reads only the overlay: it renders a few datasets).
   */
  private baseFragments: Map<string, Uint8Array> | undefined;
  private readonly baseGenerators: string[] = [];

  /** From now on a patch build's lookups of this generator's fragments fall back to the main fragments file. */
  readBaseFragments(generator: string): void {
    if (this.baseGenerators.includes(generator)) return;
    this.baseGenerators.push(generator);
    this.baseFragments = undefined;
  }

  private storedFragment(key: string): Uint8Array | undefined {
    const bytes = this.fragments.get(key);
    if (bytes || !this.patching || this.baseGenerators.length === 0 || !this.blobKnown) return bytes;
    const valid = (header: unknown) => this.validHeader(header) && (header as StoredHeader).blob === this.blob.name;
    this.baseFragments ??= readLayered(join(this.dir, FRAGMENTS_FILE), valid, { keyPrefixes: this.baseGenerators.map((name) => fragmentKey(name, '', '')) })?.entries ?? new Map();
    return this.baseFragments.get(key);
  }

  /** A stored fragment, its Texts readable from the blob and known by their place in it. */
  fragment(key: string): FragmentEntry | undefined {
    const used = this.usedFragments.get(key);
    if (used) return used.entry;
    const bytes = this.storedFragment(key);
    if (!bytes) return undefined;
    const entry = this.decodeFragment(key, bytes);
    this.usedFragments.set(key, { bytes, entry });
    return entry;
  }

  /**
   * A stored fragment read for a patch build's plan alone: not kept as used (a patch saves only
   * what it rendered), and its diagnostics belong to a dataset the patch leaves as it was.
   */
  plannedFragment(key: string): FragmentEntry | undefined {
    const used = this.usedFragments.get(key);
    if (used) return used.entry;
    const bytes = this.storedFragment(key);
    return bytes && this.decodeFragment(key, bytes);
  }

  private decodeFragment(key: string, bytes: Uint8Array): FragmentEntry {
    const stored = decodeEntry(bytes) as FragmentEntry;
    return { value: this.reviveTexts(key, stored.value), diagnostics: stored.diagnostics, ...(stored.shape !== undefined ? { shape: stored.shape } : {}) };
  }

  /** Keeps a fresh fragment; its Texts get their ids now, so this build's records match the next build's. */
  storeFragment(key: string, entry: FragmentEntry): void {
    let index = 0;
    forEachText(entry.value, (text) => {
      text.id = `${key}#${index++}`;
      this.unpersistedBytes += text.byteLength;
    });
    this.usedFragments.set(key, { entry });
    this.unpersisted.push(entry);
    // A generator over 10,000 datasets would otherwise hold all its texts until it returns.
    if (this.unpersistedBytes > PERSIST_EVERY) this.persistTexts();
  }

  /**
   * Moves the Texts of fresh fragments into the blob, so their strings can be freed before the
   * files are written. Texts are appended field by field (every fragment's first Text, then every
   * second, ...): an output joins one field of many datasets, and then reads one stretch of the blob.
   */
  persistTexts(): void {
    const byField: Text[][] = [];
    for (const entry of this.unpersisted) {
      let index = 0;
      forEachText(entry.value, (text) => {
        (byField[index++] ??= []).push(text);
      });
    }
    for (const texts of byField) {
      for (const text of texts ?? []) if (!text.location) text.storedAt(text.id as string, this.blob.append(text.bytes()), this.blob.reader);
    }
    this.unpersisted = [];
    this.unpersistedBytes = 0;
  }

  /**
   * Saves what this build used (entries of removed datasets drop out), folding in the overlays; a
   * patch build adds what it rendered to the overlays instead. Write-then-rename: never a torn file.
   */
  save(): void {
    this.persistTexts();
    if (this.patching) {
      this.saveOverlay(DATASETS_FILE, this.usedDatasets, (entry) => entry, { format: CACHE_FORMAT, key: this.key });
      this.saveOverlay(FRAGMENTS_FILE, this.usedFragments, storedFragment, { format: CACHE_FORMAT, key: this.key, blob: this.blob.name, blobSize: this.blob.size });
      this.blob.close();
      return;
    }
    const datasetsChanged = [...this.usedDatasets.values()].some((d) => !d.bytes) || this.usedDatasets.size !== this.datasets.size || this.hasOverlay(DATASETS_FILE);
    if (datasetsChanged) {
      const datasets = new Map<string, Uint8Array>();
      for (const [file, { bytes, entry }] of this.usedDatasets) datasets.set(file, bytes ?? encodeEntry(entry));
      writeEntries(join(this.dir, DATASETS_FILE), { format: CACHE_FORMAT, key: this.key } satisfies StoredHeader, datasets);
    }
    let live = 0;
    for (const { entry } of this.usedFragments.values()) forEachText(entry.value, (text) => (live += text.location?.length ?? 0));
    if (this.blob.size > COMPACT_RATIO * live + this.compactAbove) {
      this.blob.compact([...this.usedFragments.values()].map((f) => f.entry));
      for (const used of this.usedFragments.values()) delete used.bytes;
    }
    const fragments = new Map<string, Uint8Array>();
    for (const [key, { bytes, entry }] of this.usedFragments) fragments.set(key, bytes ?? encodeEntry(storedFragment(entry)));
    this.blob.ensureExists();
    writeEntries(join(this.dir, FRAGMENTS_FILE), { format: CACHE_FORMAT, key: this.key, blob: this.blob.name, blobSize: this.blob.size } satisfies StoredHeader, fragments);
    for (const name of [DATASETS_FILE, FRAGMENTS_FILE]) rmSync(overlayOf(join(this.dir, name)), { force: true });
    this.blob.removeOthers();
  }

  private hasOverlay(name: string): boolean {
    return (this.overlays.get(name)?.size ?? 0) > 0;
  }

  /** The overlay as read, with the entries this build made afresh added. */
  private saveOverlay<E>(name: string, used: ReadonlyMap<string, { bytes?: Uint8Array; entry: E }>, stored: (entry: E) => unknown, header: StoredHeader): void {
    if (!this.overlays.has(name)) this.read(name);
    const entries = new Map(this.overlays.get(name));
    for (const [key, { bytes, entry }] of used) if (!bytes) entries.set(key, encodeEntry(stored(entry)));
    writeEntries(overlayOf(join(this.dir, name)), header, entries);
  }

  /** The decoded value with its Text marks made Texts, in place (it is fresh from the decoder), in `forEachText` order. */
  private reviveTexts(key: string, value: unknown): unknown {
    let index = 0;
    const revive = (node: unknown): unknown => {
      if (node === null || typeof node !== 'object') return node;
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) node[i] = revive(node[i]);
        return node;
      }
      const mark = (node as Partial<TextMark>).$text;
      if (mark) return Text.stored(`${key}#${index++}`, { offset: mark[0], length: mark[1] }, this.blob.reader);
      const fields = node as Record<string, unknown>;
      for (const field of Object.keys(fields)) fields[field] = revive(fields[field]);
      return node;
    };
    return revive(value);
  }

  lastBuild(): LastBuild | undefined {
    return this.readJson<LastBuild>('last-build.json');
  }

  saveLastBuild(record: LastBuild): void {
    writeFileAtomically(join(this.dir, 'last-build.json'), JSON.stringify(record));
  }

  /** The records of the last build's files, when they belong to this cache key (a patch build reads its overlay alone). */
  outputRecords(): OutputRecords | undefined {
    const base = this.patching ? undefined : this.readJson<OutputRecords>(OUTPUTS_FILE);
    const overlay = this.readJson<OutputRecords>(`${OUTPUTS_FILE}.patch`);
    const mine = (records: OutputRecords | undefined) => (records?.key === this.key ? records : undefined);
    const [main, patched] = [mine(base), mine(overlay)];
    if (!patched) return main;
    const files = { ...main?.files };
    for (const [path, record] of Object.entries(patched.files)) {
      if (record) files[path] = record;
      else delete files[path];
    }
    return { key: this.key, lockHash: patched.lockHash, files };
  }

  /** A whole build's records (the overlay folded in), or a patch build's changes to them (null: no record). */
  saveOutputRecords(records: OutputRecords): void {
    const overlay = join(this.dir, `${OUTPUTS_FILE}.patch`);
    if (this.patching) {
      writeFileAtomically(overlay, JSON.stringify({ ...records, key: this.key }));
      return;
    }
    writeFileAtomically(join(this.dir, OUTPUTS_FILE), JSON.stringify({ ...records, key: this.key }));
    rmSync(overlay, { force: true });
  }

  private readJson<T>(name: string): T | undefined {
    try {
      return JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }
}

/**
 * One entry's stored form: JSON when JSON gives the value back exactly (V8 parses it about three
 * times as fast as it deserializes), else V8's serialization (NaN, Infinity, -0, undefined, ...).
 * V8's format starts with 0xFF, which JSON text never does.
 */
function encodeEntry(value: unknown): Uint8Array {
  return jsonSafe(value) ? Buffer.from(JSON.stringify(value), 'utf8') : serialize(value);
}

function decodeEntry(bytes: Uint8Array): unknown {
  return bytes[0] === 0xff ? deserialize(bytes) : JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
}

function jsonSafe(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) return value.every(jsonSafe);
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key in value) if (!jsonSafe((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

function storedFragment(entry: FragmentEntry): FragmentEntry {
  return { value: markTexts(entry.value), diagnostics: entry.diagnostics, ...(entry.shape !== undefined ? { shape: entry.shape } : {}) };
}

/** The fragment's value with each stored Text replaced by its place in the blob. */
function markTexts(value: unknown): unknown {
  if (value instanceof Text) {
    const location = value.location as TextLocation;
    return { $text: [location.offset, location.length] } satisfies TextMark;
  }
  if (Array.isArray(value)) return value.map(markTexts);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markTexts(v)]));
}

/**
 * The append-only file holding the Texts' bytes. A build appends only what it rendered afresh;
 * when dead texts pile up, the live ones are copied into a new blob (`texts-<n>.bin`).
 */
class Blob {
  name = 'texts-0.bin';
  size = 0;
  private fd: number | undefined;
  private writable = false;

  constructor(private readonly dir: string) {}

  /** Takes the blob a fragments file refers to; false when it is gone or unreadable. */
  use(name: string, expectedSize: number): boolean {
    try {
      this.size = statSync(join(this.dir, name)).size;
      if (this.size < expectedSize) return false;
      this.name = name;
      return true;
    } catch {
      return false;
    }
  }

  private readonly ranges = new FileRanges(() => this.open(), () => `the build cache's ${this.name} is shorter than its index says; delete ${this.dir}`);
  readonly reader: BlobReader = this.ranges.reader;

  append(bytes: Buffer): TextLocation {
    if (!this.writable) {
      this.close();
      mkdirSync(this.dir, { recursive: true });
      this.fd = openSync(join(this.dir, this.name), 'a+');
      this.size = fstatSync(this.fd).size;
      this.writable = true;
    }
    const location = { offset: this.size, length: bytes.length };
    writeFullySync(this.fd as number, bytes);
    this.size += bytes.length;
    return location;
  }

  /** Copies the live texts of `fragments` into a fresh blob and points them there. */
  compact(fragments: readonly FragmentEntry[]): void {
    const next = `texts-${Number(/\d+/.exec(this.name)?.[0] ?? 0) + 1}.bin`;
    const fd = openSync(join(this.dir, next), 'w');
    let size = 0;
    const moved = new Set<Text>();
    try {
      for (const entry of fragments) {
        forEachText(entry.value, (text) => {
          if (moved.has(text)) return;
          moved.add(text);
          const bytes = text.bytes();
          writeFullySync(fd, bytes);
          text.storedAt(text.id as string, { offset: size, length: bytes.length }, this.reader);
          size += bytes.length;
        });
      }
    } finally {
      closeSync(fd);
    }
    this.close();
    this.name = next;
    this.size = size;
  }

  /** Closes the blob, creating it when nothing was ever appended (a fragments file must find its blob). */
  ensureExists(): void {
    this.close();
    mkdirSync(this.dir, { recursive: true });
    closeSync(openSync(join(this.dir, this.name), 'a'));
  }

  close(): void {
    this.ranges.forget();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.writable = false;
  }

  /** Deletes blobs no fragments file refers to any more. */
  removeOthers(): void {
    for (const name of readdirSync(this.dir)) {
      if (/^texts-\d+\.bin$/.test(name) && name !== this.name) rmSync(join(this.dir, name), { force: true });
    }
  }

  private open(): number {
    this.fd ??= openSync(join(this.dir, this.name), 'r');
    return this.fd;
  }
}

/**
 * Reads ranges of one file. Texts of one output are mostly near each other (the blob lays them
 * out so, and an out/ file holds them in order), so a read takes a long stretch at once, like an
 * OS's read-ahead; a read far from the last one takes just its range.
 */
export class FileRanges {
  private window: { offset: number; bytes: Buffer } | undefined;
  private windowBuffer: Buffer | undefined;

  /** `fd` opens the file (once, on first read); `shortMessage` says what a read past its end means. */
  constructor(private readonly fd: () => number, private readonly shortMessage: () => string) {}

  readonly reader: BlobReader = (location, borrow = false) => {
    if (!this.windowHolds(location)) {
      const end = this.window ? this.window.offset + this.window.bytes.length : -1;
      const sequential = location.offset >= end && location.offset - end < READ_AHEAD;
      this.window = { offset: location.offset, bytes: this.readRange(location.offset, sequential ? Math.max(location.length, READ_AHEAD) : location.length) };
      if (this.window.bytes.length < location.length) throw new Error(this.shortMessage());
    }
    const start = location.offset - (this.window as { offset: number }).offset;
    const bytes = (this.window as { bytes: Buffer }).bytes.subarray(start, start + location.length);
    // Unless borrowed, a copy: the window's buffer is reused by the next read.
    return borrow ? bytes : Buffer.from(bytes);
  };

  /** Drops the window (the file is about to change or close). */
  forget(): void {
    this.window = undefined;
  }

  private windowHolds(location: TextLocation): boolean {
    const { window } = this;
    return window !== undefined && location.offset >= window.offset && location.offset + location.length <= window.offset + window.bytes.length;
  }

  /** Reads into one reused buffer (fresh memory costs more than the read: see core/file-writer.ts), or a new one for a larger range. */
  private readRange(offset: number, length: number): Buffer {
    this.windowBuffer ??= Buffer.allocUnsafe(READ_AHEAD);
    const buffer = length <= READ_AHEAD ? this.windowBuffer : Buffer.allocUnsafe(length);
    const fd = this.fd();
    let done = 0;
    while (done < length) {
      const read = readSync(fd, buffer, done, length - done, offset + done);
      if (read === 0) break;
      done += read;
    }
    return buffer.subarray(0, done);
  }
}

function writeFullySync(fd: number, bytes: Buffer): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

export function writeFileAtomically(file: string, content: string | Uint8Array): void {
  writeAtomically(file, (writer) => writer.write(content));
}

/** The cache folder of one catalog built into one out/: under `base`, named by both paths. */
export function cacheDirFor(base: string, catalogRoot: string, outDir: string): string {
  return join(base, sha256(`${resolve(catalogRoot)}\0${resolve(outDir)}`).slice(0, 16));
}

let codeHash: string | undefined;

/**
 * A hash of steller's own code and dependency versions: a new steller must not reuse output
 * rendered by an old one.
 */
export function stellerCodeHash(): string {
  if (codeHash) return codeHash;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const hash = createHash('sha256');
  for (const folder of ['core', 'schemas', 'generators', 'charts']) {
    for (const file of listCode(join(root, folder))) hash.update(file.slice(root.length)).update(readFileSync(file));
  }
  for (const candidate of [join(root, 'package.json'), join(root, '..', 'package.json')]) {
    if (existsSync(candidate)) {
      hash.update(readFileSync(candidate));
      break;
    }
  }
  codeHash = hash.digest('hex');
  return codeHash;
}

function listCode(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort(compareStrings)
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listCode(path);
      return /\.(js|ts|json)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
    });
}
