// The contract between the pipeline and every output: a generator is a pure function from the
// validated catalog to files. It reports problems in its own output at the dataset's catalog line.
import type { Catalog, Dataset } from '../schemas/catalog.js';
import type { Reporter } from '../core/diagnostics.js';
import type { Piece } from '../core/text.js';

export interface OutputFile {
  /** Path inside out/, forward slashes, no leading slash. */
  path: string;
  readonly content: string;
  /** The content as a rope (see core/text.ts): what lets a rebuild skip or stream the file. */
  pieces?: readonly Piece[];
  /** Ids of the datasets this file was rendered from (the lock file records them; diff and publish use them). */
  datasets: readonly string[];
}

export interface GeneratorContext {
  report: Reporter;
  /** Files rendered by the generators that run before this one (see `after`), by path. */
  inputs: ReadonlyMap<string, OutputFile>;
  /**
   * Memoizes one dataset's share of the work across builds: `render` must depend only on the
   * dataset, the project and the templates, and return plain data (strings, numbers, arrays,
   * objects). Problems it reports are replayed when the result comes from the cache. A rebuild
   * after one dataset changed re-renders only that dataset; everything else is reassembled.
   * `salt` adds what else the rendering depends on (e.g. names planned across the catalog), and
   * `render` must take that from its argument, not from the plan around it: a patch build
   * (core/patch.ts) renders a changed dataset with the salt the last whole build gave it.
   * Strings wrapped in `Text` (core/text.ts) are kept out of memory between builds.
   */
  perDataset<T>(dataset: Dataset, render: (salt: string) => T, salt?: string): T;
}

/** A dataset's own fields (`source_file` is where it came from, the same for every edit of its file). */
export type DatasetField = Exclude<keyof Dataset, 'source_file'>;

/**
 * A dataset field, or a path into one when a plan reads only that of it: `services.erddap.length`
 * (how many there are), `services.erddap[].dataset_id` (that key of every item).
 */
export type DatasetPath = DatasetField | `${DatasetField}.${string}`;

export interface PlanReads {
  values: readonly DatasetPath[];
  presence?: readonly DatasetField[];
}

export interface Generator {
  /** Short name, the first folder of its outputs but for deploy's (erddap, thredds, ckan, qc, k8s, deploy, argocd). */
  name: string;
  /** Generators whose files this one reads from `ctx.inputs` (e.g. deploy sizes the ERDDAP and THREDDS folders). */
  after?: readonly string[];
  /**
   * What it reads of those files: omitted, anything; `listing`, only which files there are and
   * which datasets each holds (their paths and `datasets`), not their bytes. A patch build then
   * runs it again only when a list of datasets changed, not whenever a file's bytes did.
   */
  inputReads?: 'listing';
  /**
   * What its plan (the work outside `perDataset`: which files, which datasets go where, in what
   * order, under what names) reads of each dataset: the fields (or paths into them) whose values
   * it reads, and the fields whose presence alone it tests (`'schedule' in dataset`). Omitted,
   * every field. A patch build (core/patch.ts) takes a rebuild over only when no plan reads what
   * changed.
   */
  planReads?: PlanReads;
  /**
   * Which of a dataset's fields (or paths into them) its renderings read; omitted, any (user
   * templates see the whole dataset). A patch build leaves this generator's outputs alone when a
   * dataset changed in none of them. test/core/patch.test.ts holds every generator to its lists.
   */
  renderReads?: readonly DatasetPath[];
  /**
   * What its renderings read only of datasets where `when` selects a value that is neither
   * absent nor false (the harvest job reads the ERDDAP services only to flag them). `when` must
   * lie within `renderReads`, so that a change to it is a change the generator sees anyway.
   */
  renderReadsWhen?: readonly { when: DatasetPath; reads: readonly DatasetPath[] }[];
  generate(catalog: Catalog, ctx: GeneratorContext): OutputFile[];
}

/** Where a generator reports a problem about one dataset (a path inside its YAML). */
export function datasetRef(dataset: Dataset, path: readonly (string | number)[] = []) {
  return { file: dataset.source_file, path };
}
