// out/argocd/applications.yaml: an Argo CD Application per deployable folder of the service-config
// repo: every out/k8s/<namespace>, and the ERDDAP/THREDDS folders steller.yaml says deploy (each
// made a ConfigMap by the kustomization.yaml generators/deploy writes there).
import { App } from 'cdk8s';
import { ApplicationsChart, type DeployTarget } from '../../charts/applications-chart.js';
import { configFolders, type ConfigFolder } from '../../charts/config-folders.js';
import { KUSTOMIZATION } from '../../charts/manifest-files.js';
import { toYamlDocuments } from '../../charts/yaml.js';
import type { Generator, OutputFile } from '../types.js';

export const APPLICATIONS_FILE = 'argocd/applications.yaml';

export const argocdGenerator: Generator = {
  name: 'argocd',
  after: ['k8s', 'erddap', 'thredds'],
  // Which folders there are, and which datasets they hold: a title edit that rewrites
  // datasets.xml leaves the Applications (and cdk8s, unloaded) alone.
  inputReads: 'listing',
  planReads: { values: [] },
  renderReads: [],
  generate(catalog, ctx) {
    const { project } = catalog;
    if (!project.argocd) return [];
    const targets = [...namespaceTargets(ctx.inputs), ...configFolders(project, ctx.inputs).map(configTarget)];
    if (targets.length === 0) return [];
    const chart = new ApplicationsChart(new App(), project.name, project.argocd, targets);
    return [{ path: APPLICATIONS_FILE, content: toYamlDocuments(chart.toJson()), datasets: [] }];
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
    datasets: [...new Set(folder.files.flatMap((f) => f.file.datasets))],
  };
}
