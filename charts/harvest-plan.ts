// What about a namespace's harvest objects needs the whole catalog: names unique across kinds,
// the packing of QC configs into ConfigMaps, the ExternalSecrets datasets share, and which file
// each job goes to. Each job itself is rendered from its dataset alone (harvest-job.ts).
import { compareStrings, type Reporter, type SourceRef } from '../core/diagnostics.js';
import { PROJECT_FILE } from '../core/load.js';
import { isScheduled, type Catalog, type Dataset } from '../schemas/catalog.js';
import type { KubernetesSettings } from '../schemas/model.js';
import { datasetRef } from '../generators/types.js';
import { bucketHash, bucketLabel, bucketOf, powerOfTwoAtLeast } from './buckets.js';
import { qcKey, type JobNames } from './harvest-job.js';
import { labelProblem, validLabels, type Labels } from './labels.js';
import { dnsLabelFrom, isDnsLabel, isDnsSubdomain, MAX_CRONJOB_NAME, MAX_LABEL, MAX_SUBDOMAIN, NameRegistry } from './names.js';
import { packQcEntries, QC_DATA_BUDGET, type QcEntry, type QcShare } from './qc-configmaps.js';
import { hasOwnSecret, secretStore, sharedExternalSecrets, sharedSecretNames, type SecretStoreRef, type SharedExternalSecret } from './secrets.js';

/** Harvests per file in out/k8s/<namespace>/ (about 2 KiB each) before files are split by bucket. */
const JOBS_PER_FILE = 500;

export interface PlannedJob {
  dataset: Dataset;
  names: JobNames;
  /** The file of out/k8s/<namespace>/ it is written to. */
  file: string;
}

export interface QcConfigMap {
  name: string;
  /** Bucket label, which also names its file. */
  bucket: string;
  entries: QcEntry[];
}

export interface HarvestPlan {
  namespace: string;
  /** `app.kubernetes.io/part-of`: the project name. */
  partOf: string;
  /** steller.yaml's `kubernetes.labels` that are valid. */
  labels: Labels;
  jobs: PlannedJob[];
  configMaps: QcConfigMap[];
  sharedSecrets: SharedExternalSecret[];
  store?: SecretStoreRef;
}

/** A scheduled dataset's QC config as its ConfigMap entry (charts/qc-configmaps.ts), rendered once per dataset. */
export type QcShares = (dataset: Dataset) => QcShare;

const settingsAt = (path: (string | number)[]): SourceRef => ({ file: PROJECT_FILE, path });

/** The namespace's plan, or nothing when no dataset has a schedule (or there is no `kubernetes:` to run it). */
export function planHarvest(catalog: Catalog, qcShares: QcShares, report: Reporter): HarvestPlan | undefined {
  const { project } = catalog;
  const scheduled = catalog.datasets.filter(isScheduled);
  for (const dataset of catalog.datasets) {
    if (!isScheduled(dataset) && dataset.secrets.length > 0) {
      report.warning('unused-secrets', 'the dataset has secrets but no schedule, so no job reads them', datasetRef(dataset, ['secrets']), 'add a `schedule:`, or remove `secrets:`');
    }
  }
  const k8s = project.kubernetes;
  if (!k8s) {
    for (const dataset of scheduled) {
      report.error('no-job-namespace', 'the dataset has a schedule but steller.yaml has no `kubernetes:` section saying which namespace runs it', datasetRef(dataset, ['schedule']),
        'add `kubernetes: { namespace, image }` to steller.yaml, or remove the schedule');
    }
    return undefined;
  }
  if (scheduled.length === 0) return undefined;
  checkProjectSettings(project.name, k8s, report);

  const store = secretStore(k8s);
  const registry = new NameRegistry();
  if (store) for (const name of sharedSecretNames(scheduled)) registry.reserve(name);
  const jobNames = claimJobNames(scheduled, registry);
  const qc = planQcConfigMaps(scheduled, qcShares, project.name, registry);
  const fileCount = powerOfTwoAtLeast(Math.ceil(scheduled.length / JOBS_PER_FILE));
  const jobs = scheduled.map((dataset): PlannedJob => {
    const job = jobNames.get(dataset.id) as string;
    // Without a store the dataset's own Secret is the platform's to create, not an object here: its name needs no claim.
    const secret = store && hasOwnSecret(dataset)
      ? registry.claim({ preferred: `${job}-secrets`, seed: `externalsecret\0${dataset.id}`, maxLength: MAX_SUBDOMAIN })
      : `${job}-secrets`;
    const configMap = qc.placement.get(dataset.id);
    return {
      dataset,
      names: { job, secret, ...(configMap !== undefined ? { qc: configMap } : {}) },
      file: fileCount === 1 ? 'harvest.yaml' : `harvest-${bucketLabel(bucketOf(bucketHash(dataset.id), fileCount), fileCount)}.yaml`,
    };
  });
  return {
    namespace: k8s.namespace,
    partOf: project.name,
    labels: validLabels(k8s.labels),
    jobs,
    configMaps: qc.configMaps,
    sharedSecrets: store ? sharedExternalSecrets(scheduled, report) : [],
    ...(store ? { store } : {}),
  };
}

function checkProjectSettings(name: string, k8s: KubernetesSettings, report: Reporter): void {
  if (!isDnsLabel(name)) {
    report.error('bad-project-name', `the project name "${name}" is longer than 63 characters, so it cannot be a label value`, settingsAt(['name']), 'use a shorter `name:`');
  }
  if (k8s.secret_store !== undefined && !isDnsSubdomain(k8s.secret_store)) {
    report.error('bad-secret-store', `secret_store "${k8s.secret_store}" is not a valid SecretStore name (lowercase letters, digits, - and .)`, settingsAt(['kubernetes', 'secret_store']),
      'give the name of the ClusterSecretStore (or SecretStore) the External Secrets Operator knows');
  }
  for (const [key, value] of Object.entries(k8s.labels ?? {})) {
    const problem = labelProblem(key, value);
    if (problem) report.error('bad-label', `label ${key}: ${problem}`, settingsAt(['kubernetes', 'labels', key]), 'Kubernetes rejects objects with such labels');
  }
}

/**
 * CronJob names from dataset ids. Ids that already are valid names claim first, so they keep
 * them; the others follow in code-point order, and one that collides gets a hash suffix.
 */
function claimJobNames(datasets: readonly Dataset[], registry: NameRegistry): Map<string, string> {
  const candidates = datasets.map((d) => ({ id: d.id, preferred: dnsLabelFrom(d.id, MAX_CRONJOB_NAME) }));
  const exactFirst = [...candidates].sort((a, b) => Number(b.preferred === b.id) - Number(a.preferred === a.id) || compareStrings(a.id, b.id));
  return new Map(exactFirst.map((c) => [c.id, registry.claim({ preferred: c.preferred, seed: `cronjob\0${c.id}`, maxLength: MAX_CRONJOB_NAME })]));
}

function planQcConfigMaps(datasets: readonly Dataset[], qcShares: QcShares, projectName: string, registry: NameRegistry) {
  const entries: QcEntry[] = [];
  for (const dataset of datasets) {
    if (!('qc' in dataset)) continue;
    const { key, bytes } = qcShares(dataset);
    // One too large was reported as it was rendered.
    if (bytes <= QC_DATA_BUDGET) entries.push({ datasetId: dataset.id, key, bytes });
  }
  const packing = packQcEntries(entries);
  const configMaps: QcConfigMap[] = [];
  const placement = new Map<string, string>();
  for (const [index, group] of packing.buckets) {
    const bucket = bucketLabel(index, packing.bucketCount);
    const name = registry.claim({ preferred: dnsLabelFrom(`${projectName}-qc-${bucket}`, MAX_LABEL), seed: `configmap\0qc\0${bucket}`, maxLength: MAX_LABEL });
    configMaps.push({ name, bucket, entries: group });
    for (const entry of group) placement.set(entry.datasetId, name);
  }
  return { configMaps, placement };
}
