// ERDDAP and THREDDS config folders that steller.yaml deploys (`servers.<kind>.<key>.deploy`).
// An Argo CD directory Application reads only Kubernetes objects from *.yaml|yml|json, so a folder
// holding datasets.xml would deploy nothing; a `kustomization.yaml` beside the files makes them a
// ConfigMap (kustomize's configMapGenerator), which `kustomize build` and Argo CD both apply.
import type { OutputFile } from '../generators/types.js';
import { byteLengthOf } from '../core/text.js';
import type { Project } from '../schemas/catalog.js';
import { compareStrings, type SourceRef } from '../core/diagnostics.js';
import { PROJECT_FILE } from '../core/load.js';
import { standardLabels } from './labels.js';
import { KUSTOMIZATION, kustomization } from './manifest-files.js';
import { dnsLabelFrom, MAX_LABEL, NameRegistry } from './names.js';

/** Kubernetes' cap on a ConfigMap's data (keys and values). */
export const CONFIGMAP_DATA_LIMIT = 1024 * 1024;

export type ServerKind = 'erddap' | 'thredds';

export interface ConfigFolder {
  kind: ServerKind;
  key: string;
  /** `erddap/<key>`: the folder in out/ (and in the service-config repo). */
  path: string;
  namespace: string;
  /** The cluster's API server, when not Argo CD's default destination. */
  server?: string;
  /** The folder's files, by name relative to it, sorted. */
  files: { name: string; file: OutputFile }[];
  /** Its ConfigMap: `<kind>-<server>-config`, unique in the namespace. */
  configMap: string;
  at: SourceRef;
}

/** Every server with `deploy:` whose folder has files. */
export function configFolders(project: Project, inputs: ReadonlyMap<string, OutputFile>): ConfigFolder[] {
  const folders: ConfigFolder[] = [];
  // Two servers may deploy to one namespace, and `a.b` and `a_b` would both give `erddap-a-b-config`.
  const registries = new Map<string, NameRegistry>();
  for (const kind of ['erddap', 'thredds'] as const) {
    for (const [key, server] of Object.entries(project.servers[kind] ?? {}).sort(([a], [b]) => compareStrings(a, b))) {
      if (!server.deploy) continue;
      const path = `${kind}/${key}`;
      const files = [...inputs.values()]
        .filter((f) => f.path.startsWith(`${path}/`) && !f.path.endsWith(`/${KUSTOMIZATION}`))
        .map((file) => ({ name: file.path.slice(path.length + 1), file }))
        .sort((a, b) => compareStrings(a.name, b.name));
      if (files.length === 0) continue;
      const registry = registries.get(server.deploy.namespace) ?? new NameRegistry();
      registries.set(server.deploy.namespace, registry);
      const configMap = registry.claim({ preferred: dnsLabelFrom(`${kind}-${key}-config`, MAX_LABEL), seed: `${kind}\0${key}`, maxLength: MAX_LABEL });
      folders.push({
        kind, key, path, files, configMap,
        namespace: server.deploy.namespace,
        ...(server.deploy.server !== undefined ? { server: server.deploy.server } : {}),
        at: { file: PROJECT_FILE, path: ['servers', kind, key, 'deploy'] },
      });
    }
  }
  return folders;
}

/** ConfigMap keys cannot hold `/`: `ports/catalog.xml` becomes `ports__catalog.xml` (mount it back with `items`). */
export function configMapKey(name: string): string {
  return name.split('/').join('__');
}

/** Bytes the ConfigMap's data will hold. */
export function configBytes(folder: ConfigFolder): number {
  return folder.files.reduce((sum, f) => sum + Buffer.byteLength(configMapKey(f.name)) + byteLengthOf(f.file), 0);
}

/** The folder's kustomization.yaml: one ConfigMap of all its files, a fixed name (no content hash), in the deploy namespace. */
export function configKustomization(project: Project, folder: ConfigFolder): OutputFile {
  const files = folder.files.map((f) => (f.name.includes('/') ? `${configMapKey(f.name)}=${f.name}` : f.name));
  const labels = standardLabels(project.name, `${folder.kind}-config`, dnsLabelFrom(folder.key, MAX_LABEL));
  const content = kustomization([], {
    namespace: folder.namespace,
    labels: [{ pairs: labels, includeSelectors: false }],
    generatorOptions: { disableNameSuffixHash: true },
    configMapGenerator: [{ name: folder.configMap, files }],
  });
  return { path: `${folder.path}/${KUSTOMIZATION}`, content, datasets: [] };
}
