// Rules across the catalog: uniqueness of ids per scope. One pass with maps, never pairwise.
import type { Dataset } from '../schemas/catalog.js';
import type { DatasetPath } from '../generators/types.js';
import { compareStrings, type Reporter } from './diagnostics.js';
import type { YamlPath } from './source.js';

interface Claim {
  dataset: Dataset;
  path: YamlPath;
}

/** What the rules read of each dataset: a patch build (core/patch.ts) declines when these change. */
export const CATALOG_RULES_READ: readonly DatasetPath[] = [
  'id', 'services.erddap[].server_key', 'services.erddap[].dataset_id', 'services.thredds[].server_key', 'services.thredds[].dataset_id',
];

export function checkCatalogRules(datasetsById: readonly Dataset[], report: Reporter): void {
  // The first file (in path order) keeps an id; later ones are reported, as a reader would expect.
  const datasets = [...datasetsById].sort((a, b) => compareStrings(a.source_file, b.source_file));
  unique(datasets.map((d) => ({ key: d.id.toLowerCase(), shown: d.id, claim: { dataset: d, path: ['id'] } })), report, 'duplicate-id',
    (shown, other) => `dataset id "${shown}" is already used by ${other.dataset.source_file} (ids name output files, so they must differ also ignoring case)`,
    'give one of them another `id:` or rename its file');

  const erddap = datasets.flatMap((d) => d.services.erddap.map((s, i) => ({
    key: `${s.server_key}\0${s.dataset_id.toLowerCase()}`, shown: s.dataset_id, claim: { dataset: d, path: ['services', 'erddap', i] as YamlPath },
  })));
  unique(erddap, report, 'duplicate-erddap-id',
    (shown, other) => `ERDDAP datasetID "${shown}" is already used on this server by ${other.dataset.source_file} (ERDDAP skips later duplicates; ids must differ also ignoring case)`,
    'set a different `dataset_id:` for one of them');

  const thredds = datasets.flatMap((d) => d.services.thredds.map((s, i) => ({
    key: `${s.server_key}\0${s.dataset_id}`, shown: s.dataset_id, claim: { dataset: d, path: ['services', 'thredds', i] as YamlPath },
  })));
  unique(thredds, report, 'duplicate-thredds-id',
    (shown, other) => `THREDDS dataset ID "${shown}" is already used on this server by ${other.dataset.source_file}`,
    'set a different `dataset_id:` for one of them');
}

function unique(
  entries: { key: string; shown: string; claim: Claim }[], report: Reporter, code: string,
  message: (shown: string, first: Claim) => string, hint: string,
): void {
  const first = new Map<string, Claim>();
  for (const entry of entries) {
    const previous = first.get(entry.key);
    if (!previous) {
      first.set(entry.key, entry.claim);
      continue;
    }
    report.error(code, message(entry.shown, previous), { file: entry.claim.dataset.source_file, path: entry.claim.path }, hint);
  }
}
