// A dataset's share of an output (a fragment) is rendered once per content: keyed by the
// generator, the dataset's fingerprint (its file's hash, the templates) and the salt its plan
// gave it, and kept in the build cache. Whole builds (core/build.ts) and patch builds
// (core/patch.ts) memoize renderings the same way through `memoizedRenders`.
import type { Catalog, Dataset } from '../schemas/catalog.js';
import type { GeneratorContext } from '../generators/types.js';
import type { BuildCache } from './cache.js';
import { compareStrings, datasetScope, type Reporter } from './diagnostics.js';
import { sha256 } from './lock.js';
import { shapeHashOf } from './build-trace.js';

export interface MemoContext {
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
export function memoizedRenders(generator: string, ctx: MemoContext, onPlanFragment: (dataset: Dataset, fragment: PlanFragment) => void, plannedSalt?: PlannedSalt): GeneratorContext['perDataset'] {
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
    const { value, shape } = ctx.within(datasetScope(dataset.source_file), () => {
      const hit = cache.fragment(key);
      if (hit) {
        report.replay(hit.diagnostics);
        return { value: hit.value as T, shape: hit.shape };
      }
      depth++;
      try {
        const { value: rendered, reported } = report.capture(() => render(salt));
        const entry = { value: rendered, diagnostics: reported, shape: shapeHashOf(rendered) };
        cache.storeFragment(key, entry);
        return entry;
      } finally {
        depth--;
      }
    });
    if (planLevel) onPlanFragment(dataset, { key, salt, value, shape: shape ?? shapeHashOf(value) });
    return value;
  };
}

/** A fragment a generator's plan asked for: its key, salt, value and shape (core/build-trace.ts). */
export interface PlanFragment {
  key: string;
  salt: string;
  value: unknown;
  shape: string;
}

/** The salt a plan gave a dataset's `index`th fragment in another build, to use instead of this one's. */
export type PlannedSalt = (dataset: Dataset, index: number) => string | undefined;

/** A fragment's cache key: the generator, the dataset's fingerprint, and the salt. */
export function fragmentKey(generator: string, fingerprint: string, salt: string): string {
  return `${generator}\0${fingerprint}${salt === '' ? '' : `\0${sha256(salt)}`}`;
}

/**
 * A fragment's key, shortened (the trace and its ropes name fragments by it): the generator, and
 * the start of the fingerprint and of the salt's hash, both already hashes, so no hashing.
 */
export function fragmentTag(key: string): string {
  // Sliced in place rather than split: a re-plan takes the tags of 10,000 datasets' fragments.
  const first = key.indexOf('\0');
  if (first < 0) return `${key}.`;
  const second = key.indexOf('\0', first + 1);
  const fingerprint = key.slice(first + 1, Math.min(first + 23, second < 0 ? key.length : second));
  if (second < 0) return `${key.slice(0, first)}.${fingerprint}`;
  const third = key.indexOf('\0', second + 1);
  return `${key.slice(0, first)}.${fingerprint}.${key.slice(second + 1, Math.min(second + 12, third < 0 ? key.length : third))}`;
}

/**
 * A dataset's rendering depends on the dataset, the templates and steller.yaml (the latter is in
 * the cache key). The dataset is a function of its file's bytes (and steller.yaml), so the file's
 * hash stands for it when known: no need to serialize 10,000 records to tell them apart.
 */
export function datasetFingerprints(catalog: Catalog): (dataset: Dataset) => string {
  const templates = templatesHashOf(catalog.templates);
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
