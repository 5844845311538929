// The incremental-build cache. A rebuild reuses, per dataset file, the normalized model and its
// diagnostics when the file's bytes, steller.yaml and steller's own code are unchanged, and per
// dataset and generator the rendered fragment. A build whose every input is unchanged is
// answered from a small record of the last build without loading anything.
//
// The cache only ever saves work: a missing, stale or unreadable cache gives the same output.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { Dataset } from '../schemas/catalog.js';
import { compareStrings, type Diagnostic } from './diagnostics.js';

const CACHE_FORMAT = 1;

export interface DatasetEntry {
  textHash: string;
  /** Undefined when the file had errors. */
  dataset?: Dataset;
  diagnostics: Diagnostic[];
}

export interface FragmentEntry {
  value: unknown;
  diagnostics: Diagnostic[];
}

/** What the last successful build of this catalog into this out/ saw and said. */
export interface LastBuild {
  inputsHash: string;
  lockHash: string;
  fileCount: number;
  diagnostics: Diagnostic[];
}

interface Stored {
  format: number;
  key: string;
  datasets: Map<string, DatasetEntry>;
  fragments: Map<string, FragmentEntry>;
}

export class BuildCache {
  private stored: Pick<Stored, 'datasets' | 'fragments'> | undefined;
  private readonly usedDatasets = new Map<string, DatasetEntry>();
  private readonly usedFragments = new Map<string, FragmentEntry>();

  /** Opens the cache of one catalog; `key` covers everything that invalidates all entries at once. Nothing is read yet. */
  static open(dir: string, key: string): BuildCache {
    return new BuildCache(dir, key);
  }

  private constructor(private readonly dir: string, private readonly key: string) {}

  /** The stored entries, read on first use: a build answered from `lastBuild` never pays for them. */
  private get entries(): Pick<Stored, 'datasets' | 'fragments'> {
    if (!this.stored) {
      this.stored = { datasets: new Map(), fragments: new Map() };
      try {
        const stored = deserialize(readFileSync(join(this.dir, 'cache.bin'))) as Stored;
        if (stored.format === CACHE_FORMAT && stored.key === this.key) this.stored = stored;
      } catch {
        // No cache yet, or one from another version: start empty.
      }
    }
    return this.stored;
  }

  dataset(file: string, textHash: string): DatasetEntry | undefined {
    const entry = this.entries.datasets.get(file);
    if (!entry || entry.textHash !== textHash) return undefined;
    this.usedDatasets.set(file, entry);
    return entry;
  }

  storeDataset(file: string, entry: DatasetEntry): void {
    this.usedDatasets.set(file, entry);
  }

  fragment(key: string): FragmentEntry | undefined {
    const entry = this.entries.fragments.get(key);
    if (entry) this.usedFragments.set(key, entry);
    return entry;
  }

  storeFragment(key: string, entry: FragmentEntry): void {
    this.usedFragments.set(key, entry);
  }

  /** Saves what this build used (entries of removed datasets drop out). Write-then-rename: never a torn file. */
  save(): void {
    const stored: Stored = { format: CACHE_FORMAT, key: this.key, datasets: this.usedDatasets, fragments: this.usedFragments };
    writeAtomically(join(this.dir, 'cache.bin'), serialize(stored));
  }

  lastBuild(): LastBuild | undefined {
    try {
      return JSON.parse(readFileSync(join(this.dir, 'last-build.json'), 'utf8')) as LastBuild;
    } catch {
      return undefined;
    }
  }

  saveLastBuild(record: LastBuild): void {
    writeAtomically(join(this.dir, 'last-build.json'), JSON.stringify(record));
  }
}

export function writeAtomically(file: string, content: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

/** The cache folder of one catalog built into one out/: under `base`, named by both paths. */
export function cacheDirFor(base: string, catalogRoot: string, outDir: string): string {
  return join(base, hashText(`${resolve(catalogRoot)}\0${resolve(outDir)}`).slice(0, 16));
}

export function hashText(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
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
