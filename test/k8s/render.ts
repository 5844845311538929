// Renders a catalog in-process with the generators the Kubernetes outputs depend on (qc files
// are mounted; ERDDAP/THREDDS folders are deployed by Argo CD), for the k8s tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCatalog, type OutputTree } from '../../core/build.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import { loadCatalog } from '../../core/load.js';
import { GENERATORS } from '../../generators/index.js';
import type { Catalog } from '../../schemas/catalog.js';
import { writeCatalog } from '../helpers/write-catalog.js';

const NEEDED = new Set(['qc', 'erddap', 'thredds', 'k8s', 'deploy', 'argocd']);

export interface Rendered {
  catalog?: Catalog;
  tree: OutputTree;
  diagnostics: Diagnostic[];
  errors: Diagnostic[];
}

export function renderDir(dir: string): Rendered {
  const loaded = loadCatalog(dir);
  const tree = loaded.catalog ? renderCatalog(loaded.catalog, loaded.report, { generators: GENERATORS.filter((g) => NEEDED.has(g.name)) }) : new Map();
  const diagnostics = loaded.report.sorted();
  return { ...(loaded.catalog ? { catalog: loaded.catalog } : {}), tree, diagnostics, errors: diagnostics.filter((d) => d.severity === 'error') };
}

/** Writes `files` (paths to texts) into a scratch catalog folder, renders it, and removes the folder. */
export function renderFiles(files: Record<string, string>): Rendered {
  const dir = mkdtempSync(join(tmpdir(), 'steller-k8s-'));
  try {
    return renderDir(writeCatalog(dir, files));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Files under a prefix, by path. */
export function filesUnder(tree: OutputTree, prefix: string): Map<string, string> {
  return new Map([...tree].filter(([path]) => path.startsWith(prefix)).map(([path, file]) => [path, file.content]));
}

/** A small project with one ERDDAP server deployed by Argo CD, a harvest namespace and (unless `store: false`) a secret store. */
export function projectYaml({ store = true, extra = '' }: { store?: boolean; extra?: string } = {}): string {
  return `name: testing
servers:
  erddap:
    data: { url: https://data.example.org/erddap/, file_dir: /data, deploy: { namespace: erddap } }
kubernetes:
  namespace: harvest
  image: ghcr.io/example/harvester:1.0.0
${store ? '  secret_store: parameter-store\n' : ''}argocd:
  repo_url: https://git.example.org/service-config.git
${extra}`;
}

/** Dataset files (JSON is YAML) for ids with the given extra fields, each with a title and, unless given, an hourly `H` schedule. */
export function datasetFiles(datasets: Record<string, Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(datasets).map(([id, extra]) => [
    `datasets/${id}.yaml`, JSON.stringify({ id, title: `Dataset ${id}`, schedule: 'H * * * *', ...extra }),
  ]));
}

/** Loads a catalog written from `files`, for calling one generator with inputs of the test's making. */
export function loadFiles(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'steller-k8s-'));
  try {
    const loaded = loadCatalog(writeCatalog(dir, files));
    if (!loaded.catalog) throw new Error(JSON.stringify(loaded.report.sorted()));
    return { catalog: loaded.catalog, report: loaded.report };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
