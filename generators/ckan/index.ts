// CKAN records for every CKAN server of steller.yaml, from each dataset with a `ckan` service:
//   ckan/<server>/iso19115/<id>.xml + index.html   ISO 19115-2 web folder (ckanext-spatial, IOOS)
//   ckan/<server>/catalog.ttl, catalog.jsonld       DCAT (ckanext-dcat's dcat_rdf harvester)
//   ckan/<server>/data.json                         DCAT-US 1.1 (ckanext-datajson, data.gov)
//   ckan/<server>/packages/<name>.json              package dicts for package_create/update
// Each dataset is read once into a CkanRecord and rendered to its share of every file (memoized
// per dataset across builds); the catalog-wide files are then joined from those shares. A server
// with no datasets still gets its (empty) files, so harvesters delete what is gone instead of failing.
import type { Catalog, CkanService, Dataset, Project } from '../../schemas/catalog.js';
import type { CkanServer } from '../../schemas/model.js';
import { compareStrings, type Reporter } from '../../core/diagnostics.js';
import { ropeFile, Text } from '../../core/text.js';
import { datasetRef, type Generator, type OutputFile } from '../types.js';
import { packageNameProblem, PACKAGE_ROOT_KEYS } from './ckan-rules.js';
import { dataJson, podDatasetText } from './datajson.js';
import { catalogJsonLd, catalogTurtle, datasetRdf, type DcatCatalog } from './dcat.js';
import { iso19115Record, wafIndex } from './iso19115.js';
import { licenseUrl } from './licenses.js';
import { packageNameFor } from './names.js';
import { packageDict } from './package.js';
import { buildRecord, type RecordProblem } from './record.js';
import { serverBase } from './urls.js';

/** One dataset's share of one CKAN server's files: plain strings, so the build cache can keep it. */
interface Fragment {
  server_key: string;
  name: string;
  /** Where a duplicate name is reported: the service's `name`, or the dataset id it came from. */
  name_path: (string | number)[];
  uri: string;
  iso: Text;
  turtle: Text;
  json_ld: Text;
  data_json: Text;
  package: Text;
}

interface Share {
  dataset: Dataset;
  fragment: Fragment;
}

export const ckanGenerator: Generator = {
  name: 'ckan',
  planReads: { values: ['id', 'services.ckan.length'] },
  renderReads: ['attributes', 'id', 'keywords', 'schedule', 'services', 'summary', 'title', 'variables'],
  generate(catalog, ctx) {
    const servers = catalog.project.servers.ckan ?? {};
    const keys = Object.keys(servers).sort(compareStrings);
    for (const key of keys) warnUnknownLicense(key, servers[key], ctx.report);
    const shares = new Map<string, Share[]>(keys.map((key) => [key, []]));
    for (const dataset of catalog.datasets) {
      if (dataset.services.ckan.length === 0) continue;
      for (const fragment of ctx.perDataset(dataset, () => datasetFragments(dataset, catalog.project, ctx.report))) {
        shares.get(fragment.server_key)?.push({ dataset, fragment });
      }
    }
    return keys.flatMap((key) => serverFiles(catalog, key, servers[key], uniqueNames(key, shares.get(key) ?? [], ctx.report)));
  },
};

/** The dataset's fragment for each CKAN server it names (the first entry per server). */
function datasetFragments(dataset: Dataset, project: Project, report: Reporter): Fragment[] {
  const fragments: Fragment[] = [];
  const seen = new Set<string>();
  dataset.services.ckan.forEach((service, index) => {
    const path = ['services', 'ckan', index];
    if (seen.has(service.server_key)) {
      report.warning('ckan-duplicate-service', `the dataset lists CKAN server "${service.server_key}" twice; only the first entry is used`, datasetRef(dataset, path), 'remove this entry');
      return;
    }
    seen.add(service.server_key);
    const server = project.servers.ckan?.[service.server_key];
    const name = packageName(dataset, service, path, report);
    const valid = extrasAndGroupsValid(dataset, service, path, report);
    if (!server || name === undefined || !valid) return;
    const license = server.license_id === undefined ? undefined : { id: server.license_id, uri: licenseUrl(server.license_id) };
    const problems: RecordProblem[] = [];
    const record = buildRecord({ dataset, service, server, name, project, license }, problems);
    for (const problem of problems) report.warning(problem.code, problem.message, datasetRef(dataset, problem.path), problem.hint);
    if (record.access.length === 0) {
      // An inactive ERDDAP dataset and no THREDDS one: advertising it would link to nothing, and
      // leaving it out makes the harvesters retire a record that was published before.
      report.warning('ckan-no-access', `no active ERDDAP or THREDDS service: the dataset is left out of CKAN server "${service.server_key}"`,
        datasetRef(dataset, path), 'activate its ERDDAP dataset or add a THREDDS service, or remove this ckan entry');
      return;
    }
    fragments.push({
      server_key: service.server_key,
      name,
      name_path: service.name !== undefined ? [...path, 'name'] : ['id'],
      uri: record.uri,
      iso: Text.of(iso19115Record(record)),
      ...datasetRdf(record),
      data_json: Text.of(podDatasetText(record)),
      package: Text.of(`${JSON.stringify(packageDict(record), null, 2)}\n`),
    });
  });
  return fragments;
}

function packageName(dataset: Dataset, service: CkanService, path: (string | number)[], report: Reporter): string | undefined {
  if (service.name === undefined) return packageNameFor(dataset.id);
  const problem = packageNameProblem(service.name);
  if (problem === undefined) return service.name;
  report.error('ckan-bad-name', `CKAN package name "${service.name}" ${problem}`, datasetRef(dataset, [...path, 'name']),
    `e.g. "${packageNameFor(service.name)}", or leave \`name\` out to derive it from the dataset id`);
  return undefined;
}

function extrasAndGroupsValid(dataset: Dataset, service: CkanService, path: (string | number)[], report: Reporter): boolean {
  let valid = true;
  for (const key of Object.keys(service.extras ?? {})) {
    if (key.trim() !== '' && !PACKAGE_ROOT_KEYS.has(key)) continue;
    valid = false;
    report.error('ckan-reserved-extra', key.trim() === '' ? 'a CKAN extra needs a key' : `CKAN extra "${key}" is a package field; CKAN rejects it as an extra ("There is a schema field with the same name")`,
      datasetRef(dataset, [...path, 'extras', key]), `use another key, e.g. ra_${key.trim() || 'note'}`);
  }
  (service.groups ?? []).forEach((group, i) => {
    const problem = packageNameProblem(group);
    if (problem === undefined) return;
    valid = false;
    report.error('ckan-bad-group', `CKAN group name "${group}" ${problem}`, datasetRef(dataset, [...path, 'groups', i]), 'give the group\'s name (its URL slug) as CKAN shows it');
  });
  return valid;
}

function warnUnknownLicense(key: string, server: CkanServer, report: Reporter): void {
  if (server.license_id === undefined || licenseUrl(server.license_id) !== undefined) return;
  report.warning('ckan-unknown-license', `license_id "${server.license_id}" has no known URL: DCAT and data.json will name no license`,
    { file: 'steller.yaml', path: ['servers', 'ckan', key, 'license_id'] }, 'use a CKAN license id (cc-by, cc-zero, odc-by, …), an SPDX id such as cc-by-4.0, or the license URL');
}

/** Package names are CKAN's dataset URLs: two datasets cannot share one on a server (the first, by id, keeps it). */
function uniqueNames(key: string, shares: readonly Share[], report: Reporter): Share[] {
  const owners = new Map<string, Dataset>();
  return shares.filter(({ dataset, fragment }) => {
    const owner = owners.get(fragment.name);
    if (!owner) {
      owners.set(fragment.name, dataset);
      return true;
    }
    report.error('ckan-duplicate-name', `CKAN package name "${fragment.name}" is already used on server "${key}" by ${owner.source_file}`,
      datasetRef(dataset, fragment.name_path), 'set a different `name:` in this dataset\'s ckan service');
    return false;
  });
}

function serverFiles(catalog: Catalog, key: string, server: CkanServer, shares: readonly Share[]): OutputFile[] {
  const dir = `ckan/${key}`;
  const all = shares.map((s) => s.dataset.id);
  const iris = shares.map((s) => s.fragment.uri);
  const publisher = server.publisher ?? catalog.project.name;
  const dcat: DcatCatalog = {
    iri: serverBase(server.url),
    title: `${publisher} data catalog`,
    description: `Datasets of the ${catalog.project.name} catalog and where their ERDDAP and THREDDS servers publish them`,
    publisher,
  };
  return [
    ...shares.map(({ dataset, fragment }) => ropeFile(`${dir}/iso19115/${dataset.id}.xml`, [fragment.iso], [dataset.id])),
    { path: `${dir}/iso19115/index.html`, content: wafIndex(`ISO 19115-2 records of ${publisher}`, shares.map((s) => `${s.dataset.id}.xml`)), datasets: all },
    ropeFile(`${dir}/catalog.ttl`, catalogTurtle(dcat, iris, shares.map((s) => s.fragment.turtle)), all),
    ropeFile(`${dir}/catalog.jsonld`, catalogJsonLd(dcat, iris, shares.map((s) => s.fragment.json_ld)), all),
    ropeFile(`${dir}/data.json`, dataJson(shares.map((s) => s.fragment.data_json)), all),
    ...shares.map(({ dataset, fragment }) => ropeFile(`${dir}/packages/${fragment.name}.json`, [fragment.package], [dataset.id])),
  ];
}
