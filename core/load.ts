// Stage 1 of the pipeline: catalog folder -> validated, normalized Catalog plus every problem found.
import type { z } from 'zod';
import type { Catalog, Dataset, Project } from '../schemas/catalog.js';
import { DatasetSchema, ProjectSchema } from '../schemas/model.js';
import { checkQcProfiles } from '../schemas/qc/check.js';
import type { BuildCache } from './cache.js';
import { datasetHashesOf, type DatasetHashes } from './build-trace.js';
import { PROJECT_FILE, readCatalogFiles, type CatalogFile, type CatalogFiles } from './catalog-files.js';
import { findCredentials } from './credentials.js';
import { compareStrings, datasetScope, DiagnosticScopes, Reporter } from './diagnostics.js';
import { isIanaTimeZone, normalizeDataset } from './normalize.js';
import { checkCatalogRules } from './rules.js';
import { reportSchemaIssues } from './schema-issues.js';
import { SourceIndex, type YamlPath } from './source.js';
import { TemplateResolver } from './templates.js';
import { parseYamlFile } from './yaml-file.js';

export { CatalogAccessError, DATASETS_DIR, PROJECT_FILE, readCatalogFiles, type CatalogFile, type CatalogFiles } from './catalog-files.js';

export interface LoadResult {
  /** Present when the catalog has no errors. */
  catalog?: Catalog;
  report: Reporter;
  sources: SourceIndex;
  /** Who reported what, when asked for (`scoped`): what a patch build needs to redo one dataset. */
  scopes?: DiagnosticScopes;
  /** Each dataset's hashes a patch build compares, by file, when `scoped`. */
  hashes?: Map<string, DatasetHashes>;
  /** Who holds each name the catalog's rules keep unique (core/rules.ts), when `scoped`. */
  claims?: Map<string, string>;
}

export interface LoadOptions {
  /** The catalog's files, when the caller has read them already (see readCatalogFiles). */
  files?: CatalogFiles;
  /** Reuse the normalized record of every dataset file whose bytes did not change. */
  cache?: BuildCache;
  /** Record which dataset (or the catalog as a whole) reported each diagnostic. */
  scoped?: boolean;
}

export function loadCatalog(root: string, options: LoadOptions = {}): LoadResult {
  const files = options.files ?? readCatalogFiles(root);
  const sources = new SourceIndex();
  const report = new Reporter(sources);
  const scopes = options.scoped ? new DiagnosticScopes(report) : undefined;
  const hashes = options.scoped ? new Map<string, DatasetHashes>() : undefined;
  for (const warning of files.warnings) report.warning('symlink-skipped', `symbolic link ${warning} is not followed`, { file: warning, line: 1, col: 1 }, 'catalog files must be real files inside the catalog');

  const project = loadProject(files, sources, report);
  const templates = new TemplateResolver(root, report);
  const datasets: Dataset[] = [];
  for (const [file, catalogFile] of files.datasets) {
    const load = () => loadDatasetCached(file, catalogFile, { project, templates, sources, report, cache: options.cache, hashes });
    const dataset = scopes ? scopes.within(datasetScope(file), load) : load();
    if (dataset) datasets.push(dataset);
  }
  datasets.sort((a, b) => compareStrings(a.id, b.id));
  const claims = project ? checkCatalogRules(datasets, report) : undefined;
  const scoped = scopes && hashes ? { scopes, hashes, claims } : {};
  if (!project || report.hasErrors) return { report, sources, ...scoped };
  const fileHashes = new Map([...files.datasets].map(([path, file]) => [path, file.hash]));
  return { catalog: { project, datasets, templates: templates.texts, fileHashes }, report, sources, ...scoped };
}

interface DatasetLoad {
  project: Project | undefined;
  templates: TemplateResolver;
  sources: SourceIndex;
  report: Reporter;
  cache: BuildCache | undefined;
  /** Filled in with each dataset's hashes (kept in its cache entry: computed once per content). */
  hashes: Map<string, DatasetHashes> | undefined;
}

function loadDatasetCached(file: string, catalogFile: CatalogFile, ctx: DatasetLoad): Dataset | undefined {
  const { cache, report } = ctx;
  const textHash = catalogFile.hash;
  const hit = cache?.dataset(file, textHash);
  if (hit) {
    ctx.sources.register(file, () => new TextDecoder().decode(catalogFile.bytes()));
    report.replay(hit.diagnostics);
    if (hit.dataset) {
      revalidateTemplates(hit.dataset, ctx.templates);
      if (ctx.hashes) ctx.hashes.set(file, (hit.hashes ??= datasetHashesOf(hit.dataset)));
    }
    return hit.dataset;
  }
  const { value: dataset, reported } = report.capture(() => loadDataset(file, catalogFile.bytes(), ctx.project, ctx.templates, ctx.sources, report));
  const hashes = dataset && ctx.hashes ? datasetHashesOf(dataset) : undefined;
  if (hashes) ctx.hashes?.set(file, hashes);
  // A record loaded without a valid steller.yaml was not normalized: nothing to reuse.
  if (cache && ctx.project) cache.storeDataset(file, { textHash, ...(dataset ? { dataset } : {}), diagnostics: reported, ...(hashes ? { hashes } : {}) });
  return dataset;
}

/** A cached record still needs its templates: they may have been moved or deleted since. */
function revalidateTemplates(dataset: Dataset, templates: TemplateResolver): void {
  (['erddap', 'thredds'] as const).forEach((kind) => {
    dataset.services[kind].forEach((service, i) => {
      if (service.template_file !== undefined) templates.load(service.template_file, { file: dataset.source_file, path: ['services', kind, i, 'template_file'] });
    });
  });
}

export function loadProject(files: Pick<CatalogFiles, 'project'>, sources: SourceIndex, report: Reporter): Project | undefined {
  if (!files.project) {
    sources.register(PROJECT_FILE, '');
    report.error('missing-project', `no ${PROJECT_FILE} in the catalog folder`, { file: PROJECT_FILE, line: 1, col: 1 },
      'create steller.yaml with at least `name:` and `servers:` (see README)');
    return undefined;
  }
  const parsed = parseYamlFile(PROJECT_FILE, files.project, sources, report);
  if (!parsed) return undefined;
  reportCredentials(parsed.value, PROJECT_FILE, report, (p) => p[0] === 'kubernetes' && p[1] === 'secret_store');
  const project = validate(ProjectSchema, parsed.value, PROJECT_FILE, report, 'steller.yaml must be a mapping, e.g. `name: my-association`');
  if (project) checkProjectTimeZones(project, report);
  if (project?.qc_profiles) {
    checkQcProfiles(project.qc_profiles, project.qc_version, {
      error: (code, message, path, hint, key) => report.error(code, message, { file: PROJECT_FILE, path, key }, hint),
      warning: (code, message, path, hint, key) => report.warning(code, message, { file: PROJECT_FILE, path, key }, hint),
    });
  }
  return project;
}

function checkProjectTimeZones(project: Project, report: Reporter): void {
  const zones: [YamlPath, string | undefined][] = [[['kubernetes', 'time_zone'], project.kubernetes?.time_zone], [['defaults', 'time_zone'], project.defaults?.time_zone]];
  for (const [path, zone] of zones) {
    if (zone !== undefined && !isIanaTimeZone(zone)) {
      report.error('bad-time-zone', `"${zone}" is not an IANA time zone name`, { file: PROJECT_FILE, path }, 'use a name such as UTC, America/New_York or Etc/GMT+5');
    }
  }
}

export function loadDataset(file: string, bytes: Uint8Array, project: Project | undefined, templates: TemplateResolver, sources: SourceIndex, report: Reporter): Dataset | undefined {
  const parsed = parseYamlFile(file, bytes, sources, report);
  if (!parsed) return undefined;
  reportCredentials(parsed.value, file, report, (p) => p.length >= 1 && p[0] === 'secrets');
  const input = validate(DatasetSchema, parsed.value, file, report, 'a dataset file is a mapping with at least `title:`');
  if (!input) return undefined;
  if (input.id === undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(stem(file))) {
    report.error('bad-id', `the file name "${stem(file)}" is not a valid dataset id (letters, digits, _ . -)`, { file, line: 1, col: 1 },
      'rename the file, or set `id:` in it');
    return undefined;
  }
  if (!project) return undefined;
  return normalizeDataset(input, file, { project, report, templates });
}

function validate<S extends z.ZodType>(schema: S, value: unknown, file: string, report: Reporter, hint: string): z.output<S> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    report.error('wrong-type', `top level must be a mapping, got ${Array.isArray(value) ? 'a list' : value === null ? 'nothing' : typeof value}`, { file, line: 1, col: 1 }, hint);
    return undefined;
  }
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  reportSchemaIssues(result.error.issues, schema, file, report);
  // Unknown keys are the commonest mistake: without them the record may still be whole, and
  // checking it further shows the user every other problem in the same run.
  if (!result.error.issues.every((issue) => issue.code === 'unrecognized_keys')) return undefined;
  const retry = schema.safeParse(withoutKeys(value, result.error.issues));
  return retry.success ? retry.data : undefined;
}

function withoutKeys(value: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    let node: unknown = copy;
    for (const segment of issue.path) node = (node as Record<PropertyKey, unknown>)?.[segment as PropertyKey];
    if (node && typeof node === 'object') for (const key of issue.keys) delete (node as Record<string, unknown>)[key];
  }
  return copy;
}

function reportCredentials(value: unknown, file: string, report: Reporter, isReference: (path: YamlPath) => boolean): void {
  for (const finding of findCredentials(value, isReference)) {
    report.error('inline-secret', `${finding.reason}: credentials must not be written in the catalog`, { file, path: finding.path },
      'store the value in the secret store and reference it: `secrets: [{ env: NAME, key: /path/in/store }]`');
  }
}

function stem(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1).replace(/\.ya?ml$/i, '');
}
