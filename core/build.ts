// Stage 2: run every registered generator over the catalog and collect one output tree,
// with the lock file that records each file's hash and the datasets it came from.
import type { Catalog, Dataset } from '../schemas/catalog.js';
import type { BuildCache } from './cache.js';
import { GENERATORS } from '../generators/index.js';
import type { Generator, OutputFile } from '../generators/types.js';
import { compareStrings, type Reporter } from './diagnostics.js';
import { LOCK_FILE, lockFileText, sha256 } from './lock.js';
import { collectGarbage } from './memory.js';

export { LOCK_FILE, LOCK_VERSION, lockFileText, sha256, type LockFile } from './lock.js';

/** The rendered tree, sorted by path, including the lock file. */
export type OutputTree = ReadonlyMap<string, OutputFile>;

export interface RenderOptions {
  generators?: readonly Generator[];
  /** Reuse each dataset's rendered fragments from earlier builds. */
  cache?: BuildCache;
}

export function renderCatalog(catalog: Catalog, report: Reporter, options: RenderOptions = {}): OutputTree {
  const files = new Map<string, OutputFile>();
  const fingerprint = datasetFingerprints(catalog);
  for (const generator of options.generators ?? GENERATORS) {
    const perDataset = <T>(dataset: Dataset, render: () => T, salt = ''): T => {
      const { cache } = options;
      if (!cache) return render();
      const key = `${generator.name}\0${fingerprint(dataset)}${salt === '' ? '' : `\0${sha256(salt)}`}`;
      const hit = cache.fragment(key);
      if (hit) {
        report.replay(hit.diagnostics);
        return hit.value as T;
      }
      const { value, reported } = report.capture(render);
      cache.storeFragment(key, { value, diagnostics: reported });
      return value;
    };
    for (const file of generator.generate(catalog, { report, inputs: files, perDataset })) {
      if (!isSafeOutputPath(file.path)) throw new Error(`generator ${generator.name} produced an unsafe path: ${file.path}`);
      if (files.has(file.path)) throw new Error(`generators ${files.get(file.path)?.datasets.join(',')} and ${generator.name} both write ${file.path}`);
      files.set(file.path, file);
    }
    // Frees this generator's fresh texts (the files read them back from the cache when written) and its garbage.
    if (options.cache) {
      options.cache.persistTexts();
      collectGarbage();
    }
  }
  const sorted = new Map([...files.entries()].sort(([a], [b]) => compareStrings(a, b)));
  // Hashing every file is the writer's job (it knows which are unchanged); others get it on demand.
  sorted.set(LOCK_FILE, { path: LOCK_FILE, get content() { return lockFileText(sorted); }, datasets: [] });
  return sorted;
}

/**
 * A dataset's rendering depends on the dataset, the templates and steller.yaml (the latter is in
 * the cache key). The dataset is a function of its file's bytes (and steller.yaml), so the file's
 * hash stands for it when known: no need to serialize 10,000 records to tell them apart.
 */
function datasetFingerprints(catalog: Catalog): (dataset: Dataset) => string {
  const templates = sha256([...catalog.templates].sort(([a], [b]) => compareStrings(a, b)).map(([path, text]) => `${path}\0${text}`).join('\0'));
  const memo = new WeakMap<Dataset, string>();
  return (dataset) => {
    let hash = memo.get(dataset);
    if (!hash) {
      const fileHash = catalog.fileHashes?.get(dataset.source_file);
      hash = sha256(`${templates}\0${fileHash === undefined ? JSON.stringify(dataset) : `${dataset.source_file}\0${fileHash}`}`);
      memo.set(dataset, hash);
    }
    return hash;
  };
}

/** Relative, forward slashes, no `..`, no hidden segments: it must stay inside out/. */
export function isSafeOutputPath(path: string): boolean {
  return path.length > 0 && !path.startsWith('/') && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && !s.startsWith('.'));
}
