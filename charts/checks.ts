// The build's own check of every Kubernetes object it is about to write: valid for its kind
// (kubernetes-models for built-in kinds, steller's strict schema for ExternalSecret), names that
// Kubernetes accepts and that are unique in the namespace, cron that the CronJob controller
// parses, ConfigMaps within the size steller promises. A failure here is a steller bug, reported
// like any other problem so that nothing is written.
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { cronProblems } from '../core/cron.js';
import { externalSecretProblems } from './external-secret-schema.js';
import type { HarvestPlan } from './harvest-plan.js';
import { isDnsLabel, isDnsSubdomain, MAX_CRONJOB_NAME, MAX_LABEL } from './names.js';
import { QC_CONFIGMAP_MAX_BYTES } from './qc-configmaps.js';
import { hasOwnSecret } from './secrets.js';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface ManifestProblem {
  /** `Kind/name` of the object. */
  object: string;
  message: string;
}

/** Everything wrong with a namespace's objects; empty when all are fine. */
export function manifestProblems(objects: readonly Manifest[]): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const names = new Map<string, string>();
  for (const object of objects) {
    const id = `${object.kind}/${object.metadata.name}`;
    const add = (message: string) => problems.push({ object: id, message });
    const previous = names.get(object.metadata.name);
    if (previous) add(`has the same name as ${previous}`);
    names.set(object.metadata.name, id);
    for (const message of kindProblems(object)) add(message);
  }
  return problems;
}

function kindProblems(object: Manifest): string[] {
  switch (object.kind) {
    case 'CronJob':
      return [...modelProblems(CronJob, object), ...cronJobProblems(object)];
    case 'ConfigMap':
      return [...modelProblems(ConfigMap, object), ...configMapProblems(object)];
    case 'ExternalSecret':
      return externalSecretProblems(object);
    default:
      return [`is a ${object.kind}, which steller does not write`];
  }
}

/** kubernetes-models' validator, run on the object itself: `new Model(object)` would deep-copy it first. */
function modelProblems(model: { prototype: { validate(): void } }, object: Manifest): string[] {
  try {
    model.prototype.validate.call(object);
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

function cronJobProblems(object: Manifest): string[] {
  const problems: string[] = [];
  if (!isDnsLabel(object.metadata.name, MAX_CRONJOB_NAME)) problems.push(`name is not a DNS-1123 label of at most ${MAX_CRONJOB_NAME} characters`);
  const schedule = (object.spec as { schedule?: string } | undefined)?.schedule ?? '';
  if (schedule.includes('H')) problems.push(`schedule "${schedule}" still holds an H`);
  problems.push(...cronProblems(schedule).map((p) => `schedule "${schedule}": ${p}`));
  return problems;
}

function configMapProblems(object: Manifest): string[] {
  const problems: string[] = [];
  if (!isDnsSubdomain(object.metadata.name)) problems.push('name is not a DNS-1123 subdomain');
  const bytes = Buffer.byteLength(JSON.stringify(object));
  if (bytes > QC_CONFIGMAP_MAX_BYTES) problems.push(`is ${bytes} bytes as JSON, over the ${QC_CONFIGMAP_MAX_BYTES} that client-side apply can annotate`);
  return problems;
}

/**
 * The names a plan gives out, checked once more: every object's name valid for its kind and none
 * used twice in the namespace, whatever its kind (the registry should already make it so).
 */
export function planNameProblems(plan: HarvestPlan): ManifestProblem[] {
  const objects: [kind: string, name: string, valid: boolean][] = [
    ...plan.jobs.map((j): [string, string, boolean] => ['CronJob', j.names.job, isDnsLabel(j.names.job, MAX_CRONJOB_NAME)]),
    ...(plan.store ? plan.jobs.filter((j) => hasOwnSecret(j.dataset)) : [])
      .map((j): [string, string, boolean] => ['ExternalSecret', j.names.secret, isDnsSubdomain(j.names.secret)]),
    ...plan.configMaps.map((c): [string, string, boolean] => ['ConfigMap', c.name, isDnsLabel(c.name, MAX_LABEL)]),
    ...plan.sharedSecrets.map((s): [string, string, boolean] => ['ExternalSecret', s.name, isDnsSubdomain(s.name)]),
  ];
  const problems: ManifestProblem[] = [];
  const seen = new Map<string, string>();
  for (const [kind, name, valid] of objects) {
    const id = `${kind}/${name}`;
    if (!valid) problems.push({ object: id, message: `"${name}" is not a valid ${kind} name` });
    const previous = seen.get(name);
    if (previous) problems.push({ object: id, message: `has the same name as ${previous}` });
    seen.set(name, id);
  }
  return problems;
}
