// The normalized catalog every generator reads: validated, defaults merged, servers resolved,
// templates loaded. Field names stay those of the YAML (snake_case), because user templates see
// this same model as their `dataset`, `service`, `server` and `catalog` context.
import type {
  Attributes, CkanServiceInput, ErddapServiceInput, JobSettings, ProjectInput, Retry, SecretRef,
  ThreddsServiceInput, Variable, DatasetInput,
} from './model.js';
import type { QcConfig } from './qc/check.js';

export interface ErddapService extends ErddapServiceInput {
  /** Key of the server in steller.yaml `servers.erddap`. */
  server_key: string;
  /** The ERDDAP datasetID: given, rendered from dataset_id_template, or derived from the dataset id. */
  dataset_id: string;
  /** Template path relative to the catalog folder. */
  template_file?: string;
  /** ERDDAP's protocol for this dataset, from `type` (an EDDGrid class or `griddap` means griddap). */
  protocol: 'tabledap' | 'griddap';
}

export interface ThreddsService extends ThreddsServiceInput {
  server_key: string;
  /** The THREDDS dataset ID. */
  dataset_id: string;
  template_file?: string;
  /** The urlPath (relative): given, or `<folder of the dataset file under datasets/>/<dataset_id>`. */
  path: string;
  /** The catalog group (one catalog file per group): given, or the first segment of `path`. */
  group: string;
}

export interface CkanService extends CkanServiceInput {
  server_key: string;
}

export interface Dataset {
  id: string;
  /** The dataset's file, relative to the catalog folder: where its diagnostics point. */
  source_file: string;
  title: string;
  summary?: string;
  keywords: string[];
  /** Global attributes, defaults merged under the dataset's own. */
  attributes: Attributes;
  source?: DatasetInput['source'];
  schedule?: string;
  /** IANA time zone of the schedule (dataset, defaults, then kubernetes.time_zone, then UTC). */
  time_zone: string;
  retry?: Retry;
  secrets: SecretRef[];
  /** Job settings, defaults merged. */
  kubernetes: JobSettings;
  variables: Variable[];
  services: {
    erddap: ErddapService[];
    thredds: ThreddsService[];
    ckan: CkanService[];
  };
  qc?: QcConfig;
}

/**
 * Whether the dataset has a schedule (and so a CronJob). A test of presence, not a read of the
 * value (normalize leaves out absent fields): a plan that only asks this is not redone when a
 * schedule changes to another (see `planReads` in generators/types.ts).
 */
export function isScheduled(dataset: Dataset): boolean {
  return 'schedule' in dataset;
}

export type Project = ProjectInput;

export interface Catalog {
  project: Project;
  /** Sorted by id (code-point order), whatever the order of files on disk. */
  datasets: Dataset[];
  /** Template texts by catalog-relative path, so generators never touch the file system. */
  templates: ReadonlyMap<string, string>;
  /**
   * The sha256 of each dataset's file, by `source_file`, when the catalog was read from disk: a
   * dataset is a function of its file, steller.yaml and steller, so the build cache keys on it.
   */
  fileHashes?: ReadonlyMap<string, string>;
}
