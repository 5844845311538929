// The cdk8s charts of a harvest namespace: `JobChart`, one dataset's CronJob (and the
// ExternalSecret of its own Secret), and `SharedChart`, the ConfigMaps holding QC configs and the
// ExternalSecrets datasets share. They use cdk8s-plus-32's typed L1 constructs (generated from
// the Kubernetes 1.32 API) rather than the L2 `kplus.CronJob`: every field is then one steller
// chose, so there are no cdk8s-plus defaults to override (its 10 s startingDeadlineSeconds,
// imagePullPolicy Always, 1-1.5 CPU resources, `cdk8s.io/metadata.addr` pod label) and no
// construct-path hashes in names. A chart per dataset costs no more than one big chart
// (measured), keeps memory flat, and lets a build reuse unchanged datasets' output.
import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-32';
import type { Construct } from 'constructs';
import type { Project } from '../schemas/catalog.js';
import { QC_FILE_NAME, QC_MOUNT_DIR, TMP_DIR, type HarvestJob } from './harvest-job.js';
import type { HarvestPlan } from './harvest-plan.js';
import { ANNOTATIONS, standardLabels, validLabels, type Labels } from './labels.js';
import type { ResolvedResources } from './resources.js';
import type { ExternalSecretData, SecretStoreRef } from './secrets.js';

export const EXTERNAL_SECRET_API_VERSION = 'external-secrets.io/v1';
/** ESO's CRD default, written out in the same spelling so the live object matches git. */
const REFRESH_INTERVAL = '1h0m0s';
/** A fixed non-root user: `runAsNonRoot` alone cannot be checked against an image whose USER is a name. */
const RUN_AS = 65532;
const CONTAINER = 'harvest';

export class JobChart extends Chart {
  constructor(scope: Construct, namespace: string, project: Project, job: HarvestJob) {
    super(scope, 'job', { namespace, disableResourceNameHashes: true });
    const labels = validLabels(project.kubernetes?.labels);
    if (job.ownSecret) {
      const { name, data, store } = job.ownSecret;
      externalSecret(this, name, data, store, standardLabels(project.name, 'harvest-secrets', job.name, labels), job.dataset.id);
    }
    cronJob(this, job, standardLabels(project.name, 'harvest', job.name, labels));
  }
}

export class SharedChart extends Chart {
  constructor(scope: Construct, plan: HarvestPlan) {
    super(scope, 'shared', { namespace: plan.namespace, disableResourceNameHashes: true });
    // Their data is each dataset's own QC text, added to the file in generators/k8s (charts/manifest-files.ts).
    for (const configMap of plan.configMaps) {
      new k8s.KubeConfigMap(this, configMap.name, {
        metadata: { name: configMap.name, labels: standardLabels(plan.partOf, 'qc-config', undefined, plan.labels) },
      });
    }
    for (const secret of plan.sharedSecrets) {
      externalSecret(this, secret.name, secret.data, plan.store as SecretStoreRef, standardLabels(plan.partOf, 'harvest-secrets', undefined, plan.labels));
    }
  }
}

function cronJob(scope: Construct, job: HarvestJob, labels: Labels): void {
  // Jobs and pods carry the labels and the dataset id; where the schedule came from is the CronJob's.
  const metadata = { labels, annotations: { [ANNOTATIONS.datasetId]: job.dataset.id } };
  new k8s.KubeCronJob(scope, 'cronjob', {
    metadata: {
      name: job.name,
      labels,
      annotations: { ...metadata.annotations, [ANNOTATIONS.sourceFile]: job.dataset.source_file, [ANNOTATIONS.schedule]: job.dataset.schedule as string },
    },
    spec: {
      schedule: job.schedule,
      timeZone: job.dataset.time_zone,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: job.startingDeadlineSeconds,
      successfulJobsHistoryLimit: job.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: job.failedJobsHistoryLimit,
      suspend: job.suspend,
      jobTemplate: {
        metadata,
        spec: {
          backoffLimit: job.backoffLimit,
          activeDeadlineSeconds: job.activeDeadlineSeconds,
          template: { metadata, spec: podSpec(job) },
        },
      },
    },
  });
}

function externalSecret(scope: Construct, name: string, data: readonly ExternalSecretData[], store: SecretStoreRef, labels: Labels, datasetId?: string): void {
  new ApiObject(scope, `externalsecret-${name}`, {
    apiVersion: EXTERNAL_SECRET_API_VERSION,
    kind: 'ExternalSecret',
    metadata: { name, labels, ...(datasetId !== undefined ? { annotations: { [ANNOTATIONS.datasetId]: datasetId } } : {}) },
    spec: {
      refreshInterval: REFRESH_INTERVAL,
      secretStoreRef: { kind: store.kind, name: store.name },
      target: { name, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      // ESO's defaults, explicit, so the live object and git agree.
      data: data.map((d) => ({ secretKey: d.secretKey, remoteRef: { ...d.remoteRef, conversionStrategy: 'Default', decodingStrategy: 'None', metadataPolicy: 'None' } })),
    },
  });
}

function podSpec(job: HarvestJob): k8s.PodSpec {
  const volumes: k8s.Volume[] = [{ name: 'tmp', emptyDir: {} }];
  const mounts: k8s.VolumeMount[] = [{ name: 'tmp', mountPath: TMP_DIR }];
  if (job.qc) {
    volumes.push({ name: 'qc', configMap: { name: job.qc.configMap, items: [{ key: job.qc.key, path: QC_FILE_NAME }] } });
    mounts.push({ name: 'qc', mountPath: QC_MOUNT_DIR, readOnly: true });
  }
  return {
    restartPolicy: 'Never',
    ...(job.serviceAccount !== undefined ? { serviceAccountName: job.serviceAccount } : {}),
    // A harvest talks to data sources, not to the Kubernetes API, unless a service account is named for it.
    automountServiceAccountToken: job.serviceAccount !== undefined,
    securityContext: { runAsNonRoot: true, runAsUser: RUN_AS, runAsGroup: RUN_AS, fsGroup: RUN_AS, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: CONTAINER,
      image: job.image,
      imagePullPolicy: job.imagePullPolicy,
      ...(job.command ? { command: job.command } : {}),
      args: job.args,
      env: job.env.map((e) => ('value' in e ? e : { name: e.name, valueFrom: { secretKeyRef: e.secretKeyRef } })),
      resources: quantities(job.resources),
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
      volumeMounts: mounts,
    }],
    volumes,
  };
}

function quantities(resources: ResolvedResources): k8s.ResourceRequirements {
  const wrap = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, k8s.Quantity.fromString(v)]));
  return { requests: wrap(resources.requests), limits: wrap(resources.limits) };
}
