// Stage 2: run every registered generator over the catalog and collect one output tree,
// with the lock file that records each file's hash and the datasets it came from.
import type { Catalog, Dataset } from '../schemas/catalog.js';
import type { BuildCache } from './cache.js';
import { GENERATORS } from '../generators/index.js';
import type { Generator, GeneratorContext, OutputFile } from '../generators/types.js';
import { compareStrings, datasetScope, generatorScope, type DiagnosticScopes, type Reporter } from './diagnostics.js';
import { LOCK_FILE, lockFileText, sha256 } from './lock.js';
import { collectGarbage } from './memory.js';
import { shapeHashOf, type FragmentTrace } from './build-trace.js';

export { LOCK_FILE, LOCK_VERSION, lockFileText, sha256, type LockFile } from './lock.js';

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
  /** The templates' hash, when `catalog.templates` holds only some of them (a patch build's). */
  templatesHash?: string;
}

/** What each generator did: the files it wrote, and the fragments its plan asked for per dataset. */
export interface RenderTrace {
  generators: GeneratorTrace[];
}

export interface GeneratorTrace {
  name: string;
  paths: string[];
  /** By dataset file: the fragments asked for outside any rendering, in order (core/build-trace.ts). */
  fragments: Map<string, Pick<FragmentTrace, 'key' | 'salt' | 'shape'>[]>;
}

export function renderCatalog(catalog: Catalog, report: Reporter, options: RenderOptions = {}): OutputTree {
  const files = new Map<string, OutputFile>();
  const fingerprint = datasetFingerprints(catalog, options.templatesHash);
  const { cache, scopes } = options;
  const within = <T>(scope: string, work: () => T): T => (scopes ? scopes.within(scope, work) : work());
  for (const generator of options.generators ?? GENERATORS) {
    const trace: GeneratorTrace = { name: generator.name, paths: [], fragments: new Map() };
    const perDataset = cache ? memoizedRenders(generator.name, { cache, report, within, fingerprint }, (dataset, key, salt, value) => {
      if (!options.trace) return;
      const fragment = { key, salt, shape: shapeHashOf(value) };
      const asked = trace.fragments.get(dataset.source_file);
      if (asked) asked.push(fragment);
      else trace.fragments.set(dataset.source_file, [fragment]);
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

interface MemoContext {
  cache: BuildCache;
  report: Reporter;
  within: <T>(scope: string, work: () => T) => T;
  fingerprint: (dataset: Dataset) => string;
}

/**
 * A generator's `perDataset`: each fragment from the cache, or rendered and stored, with its
 * diagnostics in the dataset's scope. `onPlanFragment` hears the fragments the generator's plan
 * asks for; one asked for inside another's rendering is part of that rendering.
 */
export function memoizedRenders(generator: string, ctx: MemoContext, onPlanFragment: (dataset: Dataset, key: string, salt: string, value: unknown) => void, plannedSalt?: PlannedSalt): GeneratorContext['perDataset'] {
  const { cache, report } = ctx;
  let depth = 0;
  const asked = new Map<Dataset, number>();
  return <T>(dataset: Dataset, render: (salt: string) => T, given = ''): T => {
    const planLevel = depth === 0;
    let salt = given;
    if (planLevel && plannedSalt) {
      const index = asked.get(dataset) ?? 0;
      asked.set(dataset, index + 1);
      salt = plannedSalt(dataset, index) ?? given;
    }
    const key = fragmentKey(generator, ctx.fingerprint(dataset), salt);
    const value = ctx.within(datasetScope(dataset.source_file), () => {
      const hit = cache.fragment(key);
      if (hit) {
        report.replay(hit.diagnostics);
        return hit.value as T;
      }
      depth++;
      try {
        const { value: rendered, reported } = report.capture(() => render(salt));
        cache.storeFragment(key, { value: rendered, diagnostics: reported });
        return rendered;
      } finally {
        depth--;
      }
    });
    if (planLevel) onPlanFragment(dataset, key, salt, value);
    return value;
  };
}

/** The salt a plan gave a dataset's `index`th fragment in another build, to use instead of this one's. */
export type PlannedSalt = (dataset: Dataset, index: number) => string | undefined;

/** A fragment's cache key: the generator, the dataset's fingerprint, and the salt. */
export function fragmentKey(generator: string, fingerprint: string, salt: string): string {
  return `${generator}\0${fingerprint}${salt === '' ? '' : `\0${sha256(salt)}`}`;
}

/**
 * A dataset's rendering depends on the dataset, the templates and steller.yaml (the latter is in
 * the cache key). The dataset is a function of its file's bytes (and steller.yaml), so the file's
 * hash stands for it when known: no need to serialize 10,000 records to tell them apart.
 */
function datasetFingerprints(catalog: Catalog, knownTemplatesHash?: string): (dataset: Dataset) => string {
  const templates = knownTemplatesHash ?? templatesHashOf(catalog.templates);
  const memo = new WeakMap<Dataset, string>();
  return (dataset) => {
    let hash = memo.get(dataset);
    if (!hash) {
      const fileHash = catalog.fileHashes?.get(dataset.source_file);
      hash = fileHash === undefined ? sha256(`${templates}\0${JSON.stringify(dataset)}`) : datasetFingerprint(templates, dataset.source_file, fileHash);
      memo.set(dataset, hash);
    }
    return hash;
  };
}

export function datasetFingerprint(templatesHash: string, sourceFile: string, fileHash: string): string {
  return sha256(`${templatesHash}\0${sourceFile}\0${fileHash}`);
}

export function templatesHashOf(templates: ReadonlyMap<string, string>): string {
  return sha256([...templates].sort(([a], [b]) => compareStrings(a, b)).map(([path, text]) => `${path}\0${text}`).join('\0'));
}

/** Relative, forward slashes, no `..`, no hidden segments: it must stay inside out/. */
export function isSafeOutputPath(path: string): boolean {
  return path.length > 0 && !path.startsWith('/') && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && !s.startsWith('.'));
}
