// Stage 2: run every registered generator over the catalog and collect one output tree,
// with the lock file that records each file's hash and the datasets it came from.
import type { Catalog, Dataset } from '../schemas/catalog.js';
import type { BuildCache } from './cache.js';
import { GENERATORS } from '../generators/index.js';
import type { Generator, OutputFile } from '../generators/types.js';
import { compareStrings, generatorScope, type DiagnosticScopes, type Reporter } from './diagnostics.js';
import { LOCK_FILE, lockFileText } from './lock.js';
import { collectGarbage } from './memory.js';
import type { FragmentTrace, GeneratorInfo } from './build-trace.js';
import { datasetFingerprints, memoizedRenders } from './fragments.js';

export { LOCK_FILE, LOCK_VERSION, lockFileText, sha256, type LockFile } from './lock.js';
export { templatesHashOf } from './fragments.js';

/** The rendered tree, sorted by path, including the lock file. */
export type OutputTree = ReadonlyMap<string, OutputFile>;

export interface RenderOptions {
  generators?: readonly Generator[];
  /** Reuse each dataset's rendered fragments from earlier builds. */
  cache?: BuildCache;
  /** Attribute diagnostics to the dataset or generator that reported them. */
  scopes?: DiagnosticScopes;
  /** Filled in with what a patch build needs to know of this rendering (core/patch.ts). */
  trace?: RenderTrace;
}

/** What each generator did: the files it wrote, and the fragments its plan asked for per dataset. */
export interface RenderTrace {
  generators: GeneratorTrace[];
}

export interface GeneratorTrace extends GeneratorInfo {
  paths: string[];
  /** By dataset file: the fragments asked for outside any rendering, in order (core/build-trace.ts). */
  fragments: Map<string, (Pick<FragmentTrace, 'salt' | 'shape'> & { key: string })[]>;
}

export function renderCatalog(catalog: Catalog, report: Reporter, options: RenderOptions = {}): OutputTree {
  const files = new Map<string, OutputFile>();
  const fingerprint = datasetFingerprints(catalog);
  const { cache, scopes } = options;
  const within = <T>(scope: string, work: () => T): T => (scopes ? scopes.within(scope, work) : work());
  for (const generator of options.generators ?? GENERATORS) {
    const { name, after, inputReads, planReads, renderReads, renderReadsWhen } = generator;
    const trace: GeneratorTrace = { name, after, inputReads, planReads, renderReads, renderReadsWhen, paths: [], fragments: new Map() };
    const perDataset = cache ? memoizedRenders(generator.name, { cache, report, within, fingerprint }, (dataset, { key, salt, shape }) => {
      if (!options.trace) return;
      const asked = trace.fragments.get(dataset.source_file);
      if (asked) asked.push({ key, salt, shape });
      else trace.fragments.set(dataset.source_file, [{ key, salt, shape }]);
    }) : <T>(_dataset: Dataset, render: (salt: string) => T, salt = ''): T => render(salt);
    const generated = within(generatorScope(generator.name), () => generator.generate(catalog, { report, inputs: files, perDataset }));
    for (const file of generated) {
      if (!isSafeOutputPath(file.path)) throw new Error(`generator ${generator.name} produced an unsafe path: ${file.path}`);
      if (files.has(file.path)) throw new Error(`generators ${files.get(file.path)?.datasets.join(',')} and ${generator.name} both write ${file.path}`);
      files.set(file.path, file);
      trace.paths.push(file.path);
    }
    options.trace?.generators.push(trace);
    // Frees this generator's fresh texts (the files read them back from the cache when written) and its garbage.
    if (cache) {
      cache.persistTexts();
      collectGarbage();
    }
  }
  const sorted = new Map([...files.entries()].sort(([a], [b]) => compareStrings(a, b)));
  // Hashing every file is the writer's job (it knows which are unchanged); others get it on demand.
  sorted.set(LOCK_FILE, { path: LOCK_FILE, get content() { return lockFileText(sorted); }, datasets: [] });
  return sorted;
}

/** Relative, forward slashes, no `..`, no hidden segments: it must stay inside out/. */
export function isSafeOutputPath(path: string): boolean {
  return path.length > 0 && !path.startsWith('/') && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && !s.startsWith('.'));
}
