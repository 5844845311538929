// From a namespace's plan and rendered objects to the files of out/k8s/<namespace>/. Jobs are
// spread over files by a stable hash of the dataset id (a new dataset changes one file, not every
// file after it in sort order); each QC ConfigMap has its own file; `kustomization.yaml` lists
// them all, so `kustomize build` and Argo CD read exactly these files and nothing else.
import { compareStrings } from '../core/diagnostics.js';
import type { OutputFile } from '../generators/types.js';
import { joinPieces, ropeFile, type Piece } from '../core/text.js';
import type { Manifest } from './checks.js';
import type { HarvestPlan } from './harvest-plan.js';
import { toYaml, toYamlDocuments } from './yaml.js';

export const KUSTOMIZATION = 'kustomization.yaml';
export const SHARED_SECRETS_FILE = 'secrets-shared.yaml';

/**
 * `jobTexts` holds each planned job's YAML (in plan order), `shared` the SharedChart's objects,
 * `qcText` a dataset's QC config as lines under a ConfigMap's `data:` (qc-configmaps.ts).
 * Within a harvest file a dataset's documents stay together, ordered by CronJob name.
 */
export function namespaceFiles(plan: HarvestPlan, jobTexts: readonly Piece[], shared: readonly Manifest[], qcText: (datasetId: string) => Piece): OutputFile[] {
  const folder = `k8s/${plan.namespace}`;
  const files: OutputFile[] = [];
  const byFile = new Map<string, { name: string; text: Piece; dataset: string }[]>();
  plan.jobs.forEach((job, i) => {
    const group = byFile.get(job.file) ?? [];
    byFile.set(job.file, group);
    group.push({ name: job.names.job, text: jobTexts[i], dataset: job.dataset.id });
  });
  for (const [file, group] of byFile) {
    group.sort((a, b) => compareStrings(a.name, b.name));
    files.push(ropeFile(`${folder}/${file}`, joinPieces(group.map((g) => g.text), '---\n'), group.map((g) => g.dataset)));
  }
  const sharedByName = new Map(shared.map((o) => [o.metadata.name, o]));
  // A ConfigMap's data comes last (cdk8s puts metadata first), one dataset's entry at a time.
  for (const configMap of plan.configMaps) {
    const ids = configMap.entries.map((e) => e.datasetId);
    files.push(ropeFile(`${folder}/qc-${configMap.bucket}.yaml`, [`${toYaml(sharedByName.get(configMap.name))}data:\n`, ...ids.map(qcText)], ids));
  }
  if (plan.sharedSecrets.length > 0) {
    const objects = plan.sharedSecrets.map((s) => sharedByName.get(s.name));
    files.push({ path: `${folder}/${SHARED_SECRETS_FILE}`, content: toYamlDocuments(objects), datasets: [...new Set(plan.sharedSecrets.flatMap((s) => [...s.datasets]))] });
  }
  files.sort((a, b) => compareStrings(a.path, b.path));
  files.push({ path: `${folder}/${KUSTOMIZATION}`, content: kustomization(files.map((f) => f.path.slice(folder.length + 1))), datasets: [] });
  return files;
}

export function kustomization(resources: readonly string[], extra: Record<string, unknown> = {}): string {
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...extra, ...(resources.length ? { resources } : {}) });
}
