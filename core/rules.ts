// Rules across the catalog: uniqueness of ids per scope. One pass with maps, never pairwise.
// Each dataset claims names (its id, its datasetID on each server); a rule is that no name is
// claimed twice. A patch build (core/patch.ts) checks a changed dataset's claims against the
// owners the last build recorded, without loading the other datasets.
import type { Dataset } from '../schemas/catalog.js';
import type { DatasetPath } from '../generators/types.js';
import { compareStrings, type Reporter } from './diagnostics.js';
import type { YamlPath } from './source.js';

/** What the rules read of each dataset (test/core/patch.test.ts holds `claimsOf` to it). */
export const CATALOG_RULES_READ: readonly DatasetPath[] = [
  'id', 'services.erddap[].server_key', 'services.erddap[].dataset_id', 'services.thredds[].server_key', 'services.thredds[].dataset_id',
];

type Rule = 'duplicate-id' | 'duplicate-erddap-id' | 'duplicate-thredds-id';

/** A name a dataset holds that no other may: `key` is compared, `shown` is what the message quotes. */
export interface Claim {
  rule: Rule;
  key: string;
  shown: string;
  path: YamlPath;
}

export function claimsOf(dataset: Dataset): Claim[] {
  return [
    // Ids name output files, so they must differ also ignoring case; so must ERDDAP's datasetIDs.
    { rule: 'duplicate-id', key: dataset.id.toLowerCase(), shown: dataset.id, path: ['id'] },
    ...dataset.services.erddap.map((s, i): Claim => ({ rule: 'duplicate-erddap-id', key: `${s.server_key}\0${s.dataset_id.toLowerCase()}`, shown: s.dataset_id, path: ['services', 'erddap', i] })),
    ...dataset.services.thredds.map((s, i): Claim => ({ rule: 'duplicate-thredds-id', key: `${s.server_key}\0${s.dataset_id}`, shown: s.dataset_id, path: ['services', 'thredds', i] })),
  ];
}

/** A claim as one string: the rule and the name. */
export function claimName(claim: Claim): string {
  return `${claim.rule}\0${claim.key}`;
}

const MESSAGES: Record<Rule, { message: (shown: string, holder: string) => string; hint: string }> = {
  'duplicate-id': {
    message: (shown, holder) => `dataset id "${shown}" is already used by ${holder} (ids name output files, so they must differ also ignoring case)`,
    hint: 'give one of them another `id:` or rename its file',
  },
  'duplicate-erddap-id': {
    message: (shown, holder) => `ERDDAP datasetID "${shown}" is already used on this server by ${holder} (ERDDAP skips later duplicates; ids must differ also ignoring case)`,
    hint: 'set a different `dataset_id:` for one of them',
  },
  'duplicate-thredds-id': {
    message: (shown, holder) => `THREDDS dataset ID "${shown}" is already used on this server by ${holder}`,
    hint: 'set a different `dataset_id:` for one of them',
  },
};

/**
 * Reports every claim on a name an earlier file holds; returns who holds each name. The first
 * file (in path order) keeps a name, later ones are reported, as a reader would expect.
 */
export function checkCatalogRules(datasets: readonly Dataset[], report: Reporter): Map<string, string> {
  const owners = new Map<string, string>();
  for (const dataset of [...datasets].sort((a, b) => compareStrings(a.source_file, b.source_file))) {
    for (const claim of claimsOf(dataset)) {
      const name = claimName(claim);
      const holder = owners.get(name);
      if (holder === undefined) {
        owners.set(name, dataset.source_file);
        continue;
      }
      const { message, hint } = MESSAGES[claim.rule];
      report.error(claim.rule, message(claim.shown, holder), { file: dataset.source_file, path: claim.path }, hint);
    }
  }
  return owners;
}
