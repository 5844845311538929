// The kustomization.yaml of each ERDDAP/THREDDS config folder steller.yaml deploys
// (`servers.<kind>.<key>.deploy`): it makes the folder's files one ConfigMap, which `kustomize
// build` and Argo CD apply. And a check that they fit in one.
import type { Reporter } from '../../core/diagnostics.js';
import { CONFIGMAP_DATA_LIMIT, configBytes, configFolders, configKustomization, type ConfigFolder } from '../../charts/config-folders.js';
import type { Generator } from '../types.js';

export const deployGenerator: Generator = {
  name: 'deploy',
  after: ['erddap', 'thredds'],
  planReads: { values: [] },
  renderReads: [],
  generate(catalog, ctx) {
    const folders = configFolders(catalog.project, ctx.inputs);
    for (const folder of folders) checkConfigSize(folder, ctx.report);
    return folders.map((folder) => configKustomization(catalog.project, folder));
  },
};

/** With server-side apply (always on for config folders) the only cap left is the ConfigMap's own. */
function checkConfigSize(folder: ConfigFolder, report: Reporter): void {
  const bytes = configBytes(folder);
  if (bytes <= CONFIGMAP_DATA_LIMIT) return;
  report.warning('deploy-config-too-large', `${folder.path} holds ${bytes} bytes, more than the 1 MiB a ConfigMap can hold, so deploying it as one will fail`, folder.at,
    `serve ${folder.kind === 'erddap' ? 'datasets.xml' : 'the catalogs'} to the server another way (a volume, or git-sync of the service-config repo) and remove \`deploy\``);
}
