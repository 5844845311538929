// Secrets reach a job by reference only: `secretKeyRef` env vars naming a Secret and a key. With
// `kubernetes.secret_store`, an External Secrets Operator ExternalSecret per dataset (or per shared
// `secret:` name) makes that Secret from the store (e.g. AWS Parameter Store), as Sea Eagle does;
// without one, the Secret is the platform's to create. No value is ever written.
import { compareStrings, type Reporter } from '../core/diagnostics.js';
import type { Dataset } from '../schemas/catalog.js';
import type { KubernetesSettings } from '../schemas/model.js';
import { findCredentials } from '../core/credentials.js';
import { datasetRef } from '../generators/types.js';

/** Keys of a Secret (and ExternalSecret `secretKey`s): what Kubernetes and the ESO CRD accept. */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

export interface SecretStoreRef {
  name: string;
  kind: 'ClusterSecretStore' | 'SecretStore';
}

export interface ExternalSecretData {
  secretKey: string;
  remoteRef: { key: string; property?: string };
}

export interface SharedExternalSecret {
  name: string;
  /** Ids of the datasets that read it, in id order. */
  datasets: Set<string>;
  data: ExternalSecretData[];
}

export interface SecretEnv {
  env: string;
  secretName: string;
  key: string;
}

export function secretStore(k8s: KubernetesSettings): SecretStoreRef | undefined {
  return k8s.secret_store === undefined ? undefined : { name: k8s.secret_store, kind: k8s.secret_store_kind ?? 'ClusterSecretStore' };
}

/** Whether the dataset has entries without `secret:`, which live in a Secret of its own. */
export function hasOwnSecret(dataset: Dataset): boolean {
  return dataset.secrets.some((s) => s.secret === undefined);
}

/** The names of shared secrets in use (only with a store do they become objects steller writes). */
export function sharedSecretNames(datasets: readonly Dataset[]): string[] {
  const names = new Set<string>();
  for (const dataset of datasets) for (const entry of dataset.secrets) if (entry.secret !== undefined) names.add(entry.secret);
  return [...names].sort(compareStrings);
}

const dataOf = (entry: Dataset['secrets'][number]): ExternalSecretData => ({
  secretKey: entry.env,
  remoteRef: { key: entry.key, ...(entry.property !== undefined ? { property: entry.property } : {}) },
});

/**
 * One dataset's secrets, from the dataset alone: the env references of its job, and the data of
 * its own ExternalSecret (`ownSecret` names that Secret). With a store, the Secret's keys are the
 * env names; without, `key` is the key inside a Secret the platform keeps.
 */
export function datasetSecrets(dataset: Dataset, store: SecretStoreRef | undefined, ownSecret: string, report: Reporter): { env: SecretEnv[]; own: ExternalSecretData[] } {
  const env: SecretEnv[] = [];
  const own: ExternalSecretData[] = [];
  dataset.secrets.forEach((entry, i) => {
    const secretName = entry.secret ?? ownSecret;
    const at = datasetRef(dataset, ['secrets', i]);
    // The catalog's credential check skips `secrets:` (references by design); a pasted value there would be written out.
    const pasted = findCredentials(entry.key, () => false)[0];
    if (pasted) {
      report.error('inline-secret', `secret key "${entry.key.slice(0, 8)}…" ${pasted.reason}: \`key\` says where the value is kept, not the value`, { ...at, path: [...at.path, 'key'] },
        'put the value in the secret store and write its path or name here, e.g. /team/api_key');
      return;
    }
    if (store) {
      env.push({ env: entry.env, secretName, key: entry.env });
      if (entry.secret === undefined) own.push(dataOf(entry));
      return;
    }
    if (!SECRET_KEY.test(entry.key) || entry.key.length > 253) {
      report.error('bad-secret-key', `secret key "${entry.key}" is not a key a Kubernetes Secret can hold (letters, digits, - _ .)`, { ...at, path: [...at.path, 'key'] },
        'without kubernetes.secret_store, `key` names a key inside the Secret; to read a store path such as /team/api_key, set kubernetes.secret_store in steller.yaml');
      return;
    }
    if (entry.property !== undefined) {
      report.warning('secret-property-ignored', '`property` only applies when kubernetes.secret_store syncs the secret', { ...at, path: [...at.path, 'property'] },
        'remove `property`, or set kubernetes.secret_store in steller.yaml');
    }
    env.push({ env: entry.env, secretName, key: entry.key });
  });
  return { env, own };
}

/**
 * The ExternalSecrets that several datasets share (`secret:` names), gathered across the catalog
 * in id order; a dataset that maps a key differently from an earlier one is an error there.
 */
export function sharedExternalSecrets(datasets: readonly Dataset[], report: Reporter): SharedExternalSecret[] {
  const shared = new Map<string, SharedExternalSecret>();
  for (const dataset of datasets) {
    dataset.secrets.forEach((entry, i) => {
      if (entry.secret === undefined) return;
      let secret = shared.get(entry.secret);
      if (!secret) {
        secret = { name: entry.secret, datasets: new Set(), data: [] };
        shared.set(entry.secret, secret);
      }
      const data = dataOf(entry);
      const existing = secret.data.find((d) => d.secretKey === data.secretKey);
      if (existing && (existing.remoteRef.key !== data.remoteRef.key || existing.remoteRef.property !== data.remoteRef.property)) {
        report.error('conflicting-shared-secret',
          `shared secret "${secret.name}" already maps ${data.secretKey} to "${existing.remoteRef.key}"${existing.remoteRef.property ? ` (property ${existing.remoteRef.property})` : ''}, as dataset ${secret.datasets.values().next().value} reads it`,
          datasetRef(dataset, ['secrets', i]), 'use another env name, or another `secret:` name for this dataset');
        return;
      }
      if (!existing) secret.data.push(data);
      secret.datasets.add(dataset.id);
    });
  }
  return [...shared.values()].sort((a, b) => compareStrings(a.name, b.name));
}
