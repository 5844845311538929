// out/argocd/applications.yaml: an Argo CD Application per deployable folder of the service-config
// repo (every out/k8s/<namespace>, and the ERDDAP/THREDDS folders steller.yaml says deploy), plus
// the kustomization.yaml that makes each of those config folders a ConfigMap Argo CD can apply.
import { App } from 'cdk8s';
import type { Reporter } from '../../core/diagnostics.js';
import { ApplicationsChart, type DeployTarget } from '../../charts/applications-chart.js';
import { CONFIGMAP_DATA_LIMIT, configBytes, configFolders, configKustomization, type ConfigFolder } from '../../charts/config-folders.js';
import { KUSTOMIZATION } from '../../charts/manifest-files.js';
import { toYamlDocuments } from '../../charts/yaml.js';
import type { Generator, OutputFile } from '../types.js';

export const APPLICATIONS_FILE = 'argocd/applications.yaml';

export const argocdGenerator: Generator = {
  name: 'argocd',
  after: ['k8s', 'erddap', 'thredds'],
  planReads: { values: [] },
  renderReads: [],
  generate(catalog, ctx) {
    const { project } = catalog;
    const folders = configFolders(project, ctx.inputs);
    const files: OutputFile[] = folders.map((folder) => configKustomization(project, folder));
    for (const folder of folders) checkConfigSize(folder, ctx.report);
    if (!project.argocd) return files;
    const targets = [...namespaceTargets(ctx.inputs), ...folders.map(configTarget)];
    if (targets.length === 0) return files;
    const chart = new ApplicationsChart(new App(), project.name, project.argocd, targets);
    files.push({ path: APPLICATIONS_FILE, content: toYamlDocuments(chart.toJson()), datasets: [] });
    return files;
  },
};

/** Every out/k8s/<namespace>/ the k8s generator wrote (it always writes a kustomization.yaml there). */
function namespaceTargets(inputs: ReadonlyMap<string, OutputFile>): DeployTarget[] {
  const targets = new Map<string, DeployTarget & { datasets: string[] }>();
  for (const file of inputs.values()) {
    const match = /^k8s\/([^/]+)\//.exec(file.path);
    if (!match) continue;
    const target = targets.get(match[1]) ?? { path: `k8s/${match[1]}`, namespace: match[1], needsServerSideApply: false, datasets: [] };
    targets.set(match[1], target);
    if (!file.path.endsWith(`/${KUSTOMIZATION}`)) target.datasets.push(...file.datasets);
  }
  return [...targets.values()].map((t) => ({ ...t, datasets: [...new Set(t.datasets)] }));
}

function configTarget(folder: ConfigFolder): DeployTarget {
  return {
    path: folder.path,
    namespace: folder.namespace,
    ...(folder.server !== undefined ? { server: folder.server } : {}),
    // A whole datasets.xml passes the client-side-apply annotation limit at a few hundred datasets.
    needsServerSideApply: true,
    datasets: [...new Set(folder.files.flatMap((f) => f.datasets))],
  };
}

/** With server-side apply (always on for config folders) the only cap left is the ConfigMap's own. */
function checkConfigSize(folder: ConfigFolder, report: Reporter): void {
  const bytes = configBytes(folder);
  if (bytes <= CONFIGMAP_DATA_LIMIT) return;
  report.warning('deploy-config-too-large', `${folder.path} holds ${bytes} bytes, more than the 1 MiB a ConfigMap can hold, so deploying it as one will fail`, folder.at,
    `serve ${folder.kind === 'erddap' ? 'datasets.xml' : 'the catalogs'} to the server another way (a volume, or git-sync of the service-config repo) and remove \`deploy\``);
}
