// The Argo CD Applications: one per deployable folder of the service-config repo (each
// k8s/<namespace>, and each ERDDAP/THREDDS config folder with `deploy:`), as a cdk8s chart.
// Every folder holds a kustomization.yaml, so Argo CD renders it with kustomize: the 10 MB cap
// on directory Applications (reposerver.max.combined.directory.manifests.size, which argo-cd's
// repository.go applies only in findManifests, the directory path) does not apply, and stray
// files next to the manifests are never parsed as manifests.
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ArgoCdSettings } from '../schemas/model.js';
import { standardLabels } from './labels.js';
import { dnsLabelFrom, MAX_LABEL, NameRegistry } from './names.js';

export const ARGOCD_API_VERSION = 'argoproj.io/v1alpha1';
const DEFAULT_ARGOCD_NAMESPACE = 'argocd';
const IN_CLUSTER = 'https://kubernetes.default.svc';

export interface DeployTarget {
  /** Folder in the service-config repo, e.g. `k8s/sea-eagle` or `erddap/data`. */
  path: string;
  namespace: string;
  /** Cluster API server; default: argocd.destination, else the cluster Argo CD runs in. */
  server?: string;
  /** Objects may exceed the 262,144-byte annotation of client-side apply (a whole datasets.xml). */
  needsServerSideApply: boolean;
  datasets: readonly string[];
}

export interface SyncSettings {
  automated: boolean;
  prune: boolean;
  selfHeal: boolean;
  createNamespace: boolean;
  serverSideApply: boolean;
}

/** `argocd.sync` with steller's defaults: everything on, as a GitOps repo that is the whole truth wants. */
export function syncSettings(argocd: ArgoCdSettings): SyncSettings {
  const sync = argocd.sync ?? {};
  return {
    automated: sync.automated ?? true,
    prune: sync.prune ?? true,
    selfHeal: sync.self_heal ?? true,
    createNamespace: sync.create_namespace ?? true,
    serverSideApply: sync.server_side_apply ?? true,
  };
}

export class ApplicationsChart extends Chart {
  /** Datasets behind each Application, by name. */
  readonly provenance = new Map<string, readonly string[]>();

  constructor(scope: Construct, projectName: string, argocd: ArgoCdSettings, targets: readonly DeployTarget[]) {
    const namespace = argocd.namespace ?? DEFAULT_ARGOCD_NAMESPACE;
    super(scope, 'argocd', { namespace, disableResourceNameHashes: true });
    const registry = new NameRegistry();
    const sync = syncSettings(argocd);
    for (const target of targets) {
      const name = registry.claim({ preferred: dnsLabelFrom(`${projectName}-${target.path}`, MAX_LABEL), seed: `application\0${target.path}`, maxLength: MAX_LABEL });
      new ApiObject(this, name, application(name, projectName, argocd, sync, target));
      this.provenance.set(name, target.datasets);
    }
  }
}

function application(name: string, projectName: string, argocd: ArgoCdSettings, sync: SyncSettings, target: DeployTarget) {
  const destinationServer = target.server ?? argocd.destination?.server;
  const destination = destinationServer === undefined && argocd.destination?.name !== undefined
    ? { name: argocd.destination.name, namespace: target.namespace }
    : { server: destinationServer ?? IN_CLUSTER, namespace: target.namespace };
  const syncOptions = [
    ...(sync.createNamespace ? ['CreateNamespace=true'] : []),
    ...(sync.serverSideApply || target.needsServerSideApply ? ['ServerSideApply=true'] : []),
    // Thousands of CronJobs: apply only what differs, and remove old objects after new ones exist.
    'ApplyOutOfSyncOnly=true',
    'PruneLast=true',
  ];
  return {
    apiVersion: ARGOCD_API_VERSION,
    kind: 'Application',
    metadata: {
      name,
      labels: standardLabels(projectName, 'deploy', undefined),
      // Refresh only when this folder changed, not on every commit to the repo.
      annotations: { 'argocd.argoproj.io/manifest-generate-paths': '.' },
      // With prune on, deleting the Application deletes what it deployed, as removing the folder from git would.
      ...(sync.prune ? { finalizers: ['resources-finalizer.argocd.argoproj.io'] } : {}),
    },
    spec: {
      project: argocd.project,
      source: { repoURL: argocd.repo_url, targetRevision: argocd.target_revision ?? 'HEAD', path: target.path },
      destination,
      syncPolicy: {
        ...(sync.automated ? { automated: { prune: sync.prune, selfHeal: sync.selfHeal } } : {}),
        syncOptions,
        retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m0s' } },
      },
    },
  };
}
