// One dataset's harvest job, from the dataset and steller.yaml alone, so a build can reuse it from
// the last one while the dataset is unchanged (ctx.perDataset). The three names that depend on
// the rest of the catalog (the CronJob's, its Secret's, its QC ConfigMap's) are placeholders in
// the rendered YAML, filled in by `fillNames` once the whole namespace is planned.
import { App } from 'cdk8s';
import { expandHashedCron } from '../core/cron.js';
import { compareStrings, type Reporter, type SourceRef } from '../core/diagnostics.js';
import { PROJECT_FILE } from '../core/load.js';
import type { Catalog, Dataset, Project } from '../schemas/catalog.js';
import type { KubernetesSettings } from '../schemas/model.js';
import { datasetRef } from '../generators/types.js';
import { manifestProblems, type Manifest } from './checks.js';
import { JobChart } from './harvest-chart.js';
import { dnsLabelFrom, MAX_LABEL, MAX_SUBDOMAIN } from './names.js';
import { resolveResources, type ResolvedResources } from './resources.js';
import { datasetSecrets, secretStore, type ExternalSecretData, type SecretEnv, type SecretStoreRef } from './secrets.js';
import { toYamlDocuments, yamlScalar } from './yaml.js';

/** Where a job finds its QC config, whichever ConfigMap holds it. */
export const QC_MOUNT_DIR = '/etc/steller/qc';
export const QC_FILE_NAME = 'qc.yaml';
/** Writable scratch space: the root file system is read-only. */
export const TMP_DIR = '/tmp';

/** Job settings when neither the dataset nor steller.yaml gives them. */
export const JOB_DEFAULTS = {
  /** The controller checks every 10 s; cdk8s-plus's 10 s default skips a run after any hiccup. */
  startingDeadlineSeconds: 300,
  activeDeadlineSeconds: 3600,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 1,
} as const;

/** Valid DNS labels no catalog produces, replaced as whole YAML scalars by `fillNames`. */
const PLACEHOLDERS = {
  job: 'steller-job-name-9c1f4e2b7a6d3c58',
  secret: 'steller-secret-name-9c1f4e2b7a6d3c58',
  qc: 'steller-qc-configmap-9c1f4e2b7a6d3c58',
} as const;

export type EnvVar = { name: string; value: string } | { name: string; secretKeyRef: { name: string; key: string } };

export interface HarvestJob {
  dataset: Dataset;
  name: string;
  /** The schedule with every `H` replaced by this dataset's offset. */
  schedule: string;
  image: string;
  imagePullPolicy: 'Always' | 'IfNotPresent';
  command?: string[];
  args: string[];
  env: EnvVar[];
  resources: ResolvedResources;
  qc?: { configMap: string; key: string };
  serviceAccount?: string;
  backoffLimit: number;
  activeDeadlineSeconds: number;
  startingDeadlineSeconds: number;
  successfulJobsHistoryLimit: number;
  failedJobsHistoryLimit: number;
  suspend: boolean;
  /** The dataset's own ExternalSecret (with a secret store), named like `env`'s own-secret references. */
  ownSecret?: { name: string; data: ExternalSecretData[]; store: SecretStoreRef };
}

export interface RenderedJob {
  /** The CronJob (and its own ExternalSecret) as YAML documents, names still placeholders. */
  yaml: string;
}

/** The names `fillNames` puts in. */
export interface JobNames {
  job: string;
  secret: string;
  qc?: string;
}

/** The ConfigMap key of a dataset's QC config (what the job's volume maps to qc.yaml). */
export function qcKey(dataset: Dataset): string {
  const key = `${dataset.id}.yaml`;
  return key.length <= MAX_SUBDOMAIN ? key : `${dnsLabelFrom(dataset.id, MAX_LABEL)}.yaml`;
}

/** Renders one dataset's objects, checks them, and reports problems at the dataset's lines. */
export function renderJob(catalog: Catalog, k8s: KubernetesSettings, dataset: Dataset, hasQc: boolean, report: Reporter): RenderedJob {
  const job = planJob(catalog, k8s, dataset, hasQc, report);
  const objects = new JobChart(new App(), k8s.namespace, catalog.project, job).toJson() as Manifest[];
  for (const problem of manifestProblems(objects)) {
    report.error('invalid-k8s-object', `${problem.object}: ${problem.message}`, datasetRef(dataset),
      'steller made an object Kubernetes would reject: please report this with the catalog');
  }
  return { yaml: toYamlDocuments(objects) };
}

/** Puts the namespace-wide names into a rendered job. */
export function fillNames(rendered: RenderedJob, names: JobNames): string {
  let text = rendered.yaml
    .replaceAll(PLACEHOLDERS.job, yamlScalar(names.job))
    .replaceAll(PLACEHOLDERS.secret, yamlScalar(names.secret));
  if (names.qc !== undefined) text = text.replaceAll(PLACEHOLDERS.qc, yamlScalar(names.qc));
  return text;
}

const settingsAt = (path: (string | number)[]): SourceRef => ({ file: PROJECT_FILE, path });

function planJob(catalog: Catalog, k8s: KubernetesSettings, dataset: Dataset, hasQc: boolean, report: Reporter): HarvestJob {
  const settings = dataset.kubernetes;
  const image = settings.image ?? k8s.image;
  const { resources, problems } = resolveResources([
    { resources: k8s.resources, at: settingsAt(['kubernetes', 'resources']) },
    { resources: settings.resources, at: datasetRef(dataset, ['kubernetes', 'resources']) },
  ]);
  for (const problem of problems) report.error(problem.code, problem.message, problem.at, problem.hint);
  const store = secretStore(k8s);
  const secrets = datasetSecrets(dataset, store, PLACEHOLDERS.secret, report);
  const serviceAccount = settings.service_account ?? k8s.service_account;
  return {
    dataset,
    name: PLACEHOLDERS.job,
    schedule: expandHashedCron(dataset.schedule as string, dataset.id),
    image,
    imagePullPolicy: defaultPullPolicy(image),
    ...(settings.command ? { command: settings.command } : {}),
    args: settings.args ?? ['--dataset', dataset.id],
    env: jobEnv(catalog.project, dataset, hasQc, secrets.env, report),
    resources,
    ...(hasQc ? { qc: { configMap: PLACEHOLDERS.qc, key: qcKey(dataset) } } : {}),
    ...(serviceAccount !== undefined ? { serviceAccount } : {}),
    // Kubernetes retries a failed pod itself, with a fixed back-off; the policy's shape goes to the job as env.
    backoffLimit: dataset.retry?.max_retries ?? 0,
    activeDeadlineSeconds: settings.active_deadline_seconds ?? k8s.active_deadline_seconds ?? JOB_DEFAULTS.activeDeadlineSeconds,
    startingDeadlineSeconds: settings.starting_deadline_seconds ?? k8s.starting_deadline_seconds ?? JOB_DEFAULTS.startingDeadlineSeconds,
    successfulJobsHistoryLimit: settings.successful_jobs_history_limit ?? k8s.successful_jobs_history_limit ?? JOB_DEFAULTS.successfulJobsHistoryLimit,
    failedJobsHistoryLimit: settings.failed_jobs_history_limit ?? k8s.failed_jobs_history_limit ?? JOB_DEFAULTS.failedJobsHistoryLimit,
    suspend: settings.suspend ?? false,
    ...(store && secrets.own.length > 0 ? { ownSecret: { name: PLACEHOLDERS.secret, data: secrets.own, store } } : {}),
  };
}

/** What Kubernetes would default to, written out: `Always` for `:latest` or no tag, else `IfNotPresent`. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon < 0 || lastSegment.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * The job's environment, in a fixed order: what steller tells every job (STELLER_*, HOME), the
 * dataset's own `kubernetes.env` by name, then its secrets in catalog order.
 */
function jobEnv(project: Project, dataset: Dataset, hasQc: boolean, secretEnv: SecretEnv[], report: Reporter): EnvVar[] {
  const env: EnvVar[] = [{ name: 'STELLER_DATASET_ID', value: dataset.id }];
  if (hasQc) env.push({ name: 'STELLER_QC_CONFIG', value: `${QC_MOUNT_DIR}/${QC_FILE_NAME}` });
  env.push(...retryEnv(dataset), ...sourceEnv(dataset), ...erddapFlagEnv(project, dataset, secretEnv, report));
  const userEnv = Object.entries(dataset.kubernetes.env ?? {}).sort(([a], [b]) => compareStrings(a, b));
  if (!userEnv.some(([name]) => name === 'HOME')) env.push({ name: 'HOME', value: TMP_DIR });
  const seen = new Set(env.map((e) => e.name));
  const claim = (name: string, at: SourceRef): boolean => {
    if (name.startsWith('STELLER_')) {
      report.error('reserved-env', `${name}: env names starting with STELLER_ are set by steller`, at, 'rename the variable');
      return false;
    }
    if (seen.has(name)) {
      report.error('duplicate-env', `${name} is set twice (in kubernetes.env and in secrets)`, at, 'keep one of them');
      return false;
    }
    seen.add(name);
    return true;
  };
  for (const [name, value] of userEnv) if (claim(name, datasetRef(dataset, ['kubernetes', 'env', name]))) env.push({ name, value });
  for (const secret of secretEnv) {
    const index = dataset.secrets.findIndex((s) => s.env === secret.env);
    if (claim(secret.env, datasetRef(dataset, ['secrets', index, 'env']))) env.push({ name: secret.env, secretKeyRef: { name: secret.secretName, key: secret.key } });
  }
  return env;
}

function retryEnv(dataset: Dataset): EnvVar[] {
  const retry = dataset.retry;
  if (!retry) return [];
  const pairs: [string, string | number | undefined][] = [
    ['STELLER_RETRY_MAX_RETRIES', retry.max_retries],
    ['STELLER_RETRY_DELAY_SECONDS', retry.delay],
    ['STELLER_RETRY_BACKOFF', retry.backoff],
    ['STELLER_RETRY_JITTER', retry.jitter],
    ['STELLER_RETRY_MAX_DELAY_SECONDS', retry.max_delay],
  ];
  return pairs.filter(([, value]) => value !== undefined).map(([name, value]) => ({ name, value: String(value) }));
}

function sourceEnv(dataset: Dataset): EnvVar[] {
  const source = dataset.source;
  if (!source) return [];
  const env: EnvVar[] = [];
  if (source.url !== undefined) env.push({ name: 'STELLER_SOURCE_URL', value: source.url });
  if (source.type !== undefined) env.push({ name: 'STELLER_SOURCE_TYPE', value: source.type });
  if (source.parameters !== undefined) env.push({ name: 'STELLER_SOURCE_PARAMETERS', value: JSON.stringify(source.parameters) });
  return env;
}

/** The job touches ERDDAP's flag URL after a good harvest; the flagKey is a secret, so the job appends it from ERDDAP_FLAG_KEY. */
export const ERDDAP_FLAG_KEY_ENV = 'ERDDAP_FLAG_KEY';

function erddapFlagEnv(project: Project, dataset: Dataset, secretEnv: SecretEnv[], report: Reporter): EnvVar[] {
  if (!dataset.kubernetes.erddap_flag) return [];
  const at = datasetRef(dataset, ['kubernetes', 'erddap_flag']);
  const servers = project.servers.erddap ?? {};
  const urls = dataset.services.erddap.map((s) => `${servers[s.server_key].url.replace(/\/?$/, '/')}setDatasetFlag.txt?datasetID=${s.dataset_id}`);
  if (urls.length === 0) {
    report.warning('erddap-flag-without-erddap', 'erddap_flag is set but the dataset has no ERDDAP service to flag', at, 'add services.erddap, or remove erddap_flag');
    return [];
  }
  if (!secretEnv.some((s) => s.env === ERDDAP_FLAG_KEY_ENV)) {
    report.warning('erddap-flag-without-key', `erddap_flag is set but no secret gives ${ERDDAP_FLAG_KEY_ENV}, and ERDDAP ignores a flag without its flagKey`, at,
      `add \`- { env: ${ERDDAP_FLAG_KEY_ENV}, key: … }\` to secrets`);
  }
  return [{ name: 'STELLER_ERDDAP_FLAG_URLS', value: urls.join(' ') }];
}
