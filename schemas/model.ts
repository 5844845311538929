// The catalog format (CATALOG.md) as zod schemas: the single definition from which input
// validation, the TypeScript types and the published JSON Schemas all come.
// Only structure and single-field rules live here; rules that need the rest of the catalog
// (servers, ids, templates, QC streams) are in core/rules.ts.
import { z } from 'zod';
import { QcBlockSchema } from './qc/schema.js';

/** A DNS-1123 label: what Kubernetes accepts as a namespace or object-name segment. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Dataset ids name files and folders in out/, so they must not be able to escape one. */
export const DATASET_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** ERDDAP's documented datasetID rule (stricter than the code's `^[A-Za-z0-9_-]+$`, see research/erddap.md §3). */
export const ERDDAP_DATASET_ID = /^[A-Za-z][A-Za-z0-9_]*$/;
/**
 * datasetIDs that load although off the documented rule (ERDDAP's code allows `-`; real servers such as
 * the glider DAC use it): a warning. One that does not start with a letter stays an error.
 */
export const ERDDAP_LOADABLE_DATASET_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** What ERDDAP's code accepts at all (Test.ensureFileNameSafe, no `.`). */
export const ERDDAP_CODE_DATASET_ID = /^[A-Za-z0-9_-]+$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Kubernetes resource quantity (apimachinery's resource.Quantity grammar). */
export const QUANTITY = /^[+]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+|E[+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/;

export const ERDDAP_DATA_TYPES = [
  'double', 'float', 'long', 'ulong', 'int', 'uint', 'short', 'ushort', 'byte', 'ubyte', 'char', 'String', 'boolean',
] as const;

/** ERDDAP `<att type=…>` values: the scalar types and their `…List` forms (ERDDAP has no booleanList). */
export const ERDDAP_ATTRIBUTE_TYPES = [
  ...ERDDAP_DATA_TYPES,
  ...ERDDAP_DATA_TYPES.filter((t) => t !== 'boolean').map((t) => `${t}List` as const),
] as const;

export const THREDDS_SERVICE_TYPES = ['opendap', 'dap4', 'http', 'wcs', 'wms', 'ncss', 'iso', 'ncml', 'uddc', 'cdmremote'] as const;

const nonEmpty = z.string().min(1, 'must not be empty');
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const AttributeScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const AttributeList = z.array(z.union([z.string(), z.number(), z.boolean()]));
/** `{ value, type }` pins the ERDDAP attribute type when the YAML type is not the one wanted. */
const TypedAttribute = z.strictObject({
  value: z.union([AttributeScalar, AttributeList]),
  type: z.enum(ERDDAP_ATTRIBUTE_TYPES),
});
export const AttributeValueSchema = z.union([AttributeScalar, AttributeList, TypedAttribute]);
const ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** Any name may be set to null: that deletes a source attribute whatever its name (GenerateDatasetsXml does so for unsafe names). */
export const AttributesSchema = z.record(z.string().regex(/^[^\u0000-\u001f]+$/, 'attribute names are not empty and have no control characters'), AttributeValueSchema)
  .superRefine((attributes, ctx) => {
    for (const [name, value] of Object.entries(attributes)) {
      if (value !== null && !ATTRIBUTE_NAME.test(name)) ctx.addIssue({ code: 'custom', message: 'attribute names are letters, digits, _ . - (only null, a deletion, may name any attribute)', path: [name] });
    }
  });

/** Pass-through settings for the target system (ERDDAP tags, THREDDS elements): any keys. */
const OptionsSchema = z.record(z.string(), z.unknown());

const Quantity = z.union([z.string().regex(QUANTITY, 'must be a Kubernetes quantity such as 100m, 0.5, 256Mi'), z.number().nonnegative()]);
const ResourceList = z.strictObject({ cpu: Quantity.optional(), memory: Quantity.optional(), 'ephemeral-storage': Quantity.optional() });
export const ResourcesSchema = z.strictObject({ requests: ResourceList.optional(), limits: ResourceList.optional() });

// No zod defaults here: `defaults.retry` merges under a dataset's retry key by key, so the
// fallbacks (core/normalize.ts) apply only after merging.
export const RetrySchema = z.strictObject({
  max_retries: z.int().min(0).max(100).optional(),
  /** Seconds before the first retry. */
  delay: z.number().nonnegative().optional(),
  backoff: z.enum(['constant', 'linear', 'exponential']).optional(),
  jitter: z.enum(['none', 'plus', 'minus', 'plus_minus']).optional(),
  /** Upper bound for one delay, seconds. */
  max_delay: z.number().positive().optional(),
});

const SecretRefSchema = z.strictObject({
  /** Environment variable the job sees. */
  env: z.string().regex(ENV_NAME, 'must be an environment variable name: letters, digits, _'),
  /** Where the value lives: the key in the secret store (e.g. an AWS Parameter Store path), or in `secret`. */
  key: nonEmpty,
  /** Kubernetes Secret to read from when no `secret_store` syncs it (default: the dataset's own). */
  secret: z.string().regex(DNS_LABEL, 'must be a DNS-1123 name').optional(),
  /** A property inside a JSON-valued store entry. */
  property: z.string().optional(),
});

/** Per-dataset overrides of the job's Kubernetes settings. */
const JobSettingsSchema = z.strictObject({
  image: nonEmpty.optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string().regex(ENV_NAME), z.string()).optional(),
  resources: ResourcesSchema.optional(),
  active_deadline_seconds: z.int().positive().optional(),
  starting_deadline_seconds: z.int().positive().optional(),
  successful_jobs_history_limit: z.int().min(0).optional(),
  failed_jobs_history_limit: z.int().min(0).optional(),
  service_account: z.string().regex(DNS_LABEL).optional(),
  /** After a successful harvest, touch the ERDDAP flag URL so the dataset reloads at once. */
  erddap_flag: z.boolean().optional(),
  suspend: z.boolean().optional(),
});

export const VariableSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'variable names start with a letter, then letters, digits, _ (ERDDAP destinationName rule)'),
  source_name: nonEmpty.optional(),
  type: z.enum(ERDDAP_DATA_TYPES).optional(),
  units: z.string().optional(),
  /** Grid axis (griddap): axes are listed slowest-varying first. */
  axis: z.boolean().optional(),
  attributes: AttributesSchema.optional(),
});

const ServiceBase = {
  /** A server key of steller.yaml, or the server's URL with or without scheme. */
  server: nonEmpty,
  template_file: nonEmpty.optional(),
  dataset_id: nonEmpty.optional(),
  /** A nunjucks expression template giving the id when `dataset_id` is not set, e.g. `PORTS_{{ dataset.id }}`. */
  dataset_id_template: nonEmpty.optional(),
};

const ErddapServiceSchema = z.strictObject({
  ...ServiceBase,
  /** `tabledap` | `griddap`, or an ERDDAP class such as EDDTableFromNcFiles. */
  type: nonEmpty.optional(),
  active: z.boolean().optional(),
  /** Child tags of the dataset's class (fileDir, reloadEveryNMinutes, …), passed through. */
  options: OptionsSchema.optional(),
  /** Global attributes for this server only, over the dataset's. */
  attributes: AttributesSchema.optional(),
  /** Global attributes ERDDAP reads from the source data (files, OPeNDAP): steller neither writes nor requires them. */
  from_source: z.array(nonEmpty).optional(),
  /** Check codes reported as warnings for this dataset: it is written as it is, and ERDDAP fails it as it did before (set by import). */
  accept_errors: z.array(nonEmpty).optional(),
});

const ThreddsServiceSchema = z.strictObject({
  ...ServiceBase,
  /** The urlPath; its first segment is the group unless `group` is given. */
  path: nonEmpty.optional(),
  group: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a group is one folder name').optional(),
  /** Service names instead of the server's default compound service `all`. */
  services: z.array(nonEmpty).optional(),
  data_type: nonEmpty.optional(),
  data_format: nonEmpty.optional(),
  /** `datasetScan: {...}` or `featureCollection: {...}`, and other THREDDS settings. */
  options: OptionsSchema.optional(),
});

const CkanServiceSchema = z.strictObject({
  server: nonEmpty,
  /** Package name override; default derived from the dataset id. */
  name: nonEmpty.optional(),
  groups: z.array(nonEmpty).optional(),
  extras: z.record(z.string(), z.string()).optional(),
});

const ServicesSchema = z.strictObject({
  erddap: z.array(ErddapServiceSchema).optional(),
  thredds: z.array(ThreddsServiceSchema).optional(),
  ckan: z.array(CkanServiceSchema).optional(),
});

const SourceSchema = z.strictObject({
  /** Where the harvest job reads (an API, a bucket, an FTP folder). */
  url: nonEmpty.optional(),
  type: nonEmpty.optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

export const DatasetSchema = z.strictObject({
  id: z.string().regex(DATASET_ID, 'ids are letters, digits, _ . - and start with a letter or digit (no / or ..)').optional(),
  title: nonEmpty,
  summary: z.string().optional(),
  keywords: z.array(nonEmpty).optional(),
  attributes: AttributesSchema.optional(),
  source: SourceSchema.optional(),
  /** 5-field cron; `H` is a stable per-dataset offset. No schedule: no CronJob. */
  schedule: nonEmpty.optional(),
  time_zone: nonEmpty.optional(),
  retry: RetrySchema.optional(),
  secrets: z.array(SecretRefSchema).optional(),
  kubernetes: JobSettingsSchema.optional(),
  variables: z.array(VariableSchema).optional(),
  services: ServicesSchema.optional(),
  qc: QcBlockSchema.optional(),
});

/** What `defaults:` may set; merged under every dataset (the dataset wins, maps merge key by key). */
export const DefaultsSchema = z.strictObject({
  attributes: AttributesSchema.optional(),
  keywords: z.array(nonEmpty).optional(),
  retry: RetrySchema.optional(),
  time_zone: nonEmpty.optional(),
  kubernetes: JobSettingsSchema.optional(),
  source: SourceSchema.optional(),
});

const DeploySchema = z.strictObject({
  /** Namespace the server's config is deployed to by Argo CD. */
  namespace: z.string().regex(DNS_LABEL, 'must be a DNS-1123 label'),
  server: url.optional(),
});

const ErddapServerSchema = z.strictObject({
  url,
  file_dir: nonEmpty.optional(),
  /** Tags ERDDAP reads at the top of datasets.xml (convertToPublicSourceUrl, requestBlacklist, user, …). */
  settings: OptionsSchema.optional(),
  /** What the server's setup.xml says, where it changes how ERDDAP loads datasets.xml (and so what steller checks). */
  setup: z.strictObject({
    /** <useSaxParser> (default false): SAX-only classes such as EDDTableFromMqtt load only with it. */
    use_sax_parser: z.boolean().optional(),
    /** <variablesMustHaveIoosCategory> (default true). */
    variables_must_have_ioos_category: z.boolean().optional(),
  }).optional(),
  deploy: DeploySchema.optional(),
});

/** A THREDDS `<service>` the standard ones do not cover (an ncSOS endpoint, another server's OPeNDAP, a compound of them). */
const ThreddsCustomServiceSchema = z.strictObject({
  /** The serviceType, e.g. OPeNDAP, HTTPServer, SOS, Compound. */
  type: nonEmpty,
  /** Required unless Compound; TDS endpoints are server-relative, e.g. /thredds/sos/. */
  base: z.string().optional(),
  suffix: z.string().optional(),
  desc: z.string().optional(),
  /** Compound only: the names of its member services (standard keys or other custom services). */
  services: z.array(nonEmpty).optional(),
});

const ThreddsServerSchema = z.strictObject({
  url,
  services: z.array(z.enum(THREDDS_SERVICE_TYPES)).optional(),
  /** Folder the TDS serves files from: a datasetRoot per urlPath's first folder, and the base of relative scan locations and collection specs. */
  data_dir: nonEmpty.optional(),
  /** Explicit datasetRoots: urlPath prefix -> folder on the TDS host. */
  data_roots: z.record(z.string().regex(/^[^/\s][^\s]*$/, 'a relative path without spaces'), nonEmpty).optional(),
  /** More services by name; a name here replaces a standard one (also `all`). */
  custom_services: z.record(z.string().regex(/^\S+$/, 'a service name has no spaces'), ThreddsCustomServiceSchema).optional(),
  deploy: DeploySchema.optional(),
});

const CkanServerSchema = z.strictObject({
  url,
  organization: z.string().regex(/^[a-z0-9_-]{2,100}$/, 'a CKAN organization name: 2-100 of a-z 0-9 - _'),
  license_id: nonEmpty.optional(),
  /** Contact for DCAT contactPoint / data.json when a dataset names none. */
  contact_email: z.email().optional(),
  publisher: nonEmpty.optional(),
  /** data.json bureauCode (OMB Circular A-11 agency:bureau); default 006:48, NOAA. */
  bureau_code: z.string().regex(/^\d{3}:\d{2}$/, 'an OMB bureau code such as 006:48').optional(),
  /** data.json programCode (Federal Program Inventory agency:program); default 006:000. */
  program_code: z.string().regex(/^\d{3}:\d{3}$/, 'a federal program code such as 006:000').optional(),
});

const serverMap = <T extends z.ZodType>(server: T) =>
  z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'server keys are letters, digits, _ . -'), server);

const KubernetesSchema = z.strictObject({
  namespace: z.string().regex(DNS_LABEL, 'must be a DNS-1123 label: lowercase letters, digits, -').max(63),
  image: nonEmpty,
  time_zone: nonEmpty.optional(),
  resources: ResourcesSchema.optional(),
  /** ClusterSecretStore the External Secrets Operator reads `secrets:` from; without it, plain Secrets. */
  secret_store: nonEmpty.optional(),
  secret_store_kind: z.enum(['ClusterSecretStore', 'SecretStore']).optional(),
  service_account: z.string().regex(DNS_LABEL).optional(),
  starting_deadline_seconds: z.int().positive().optional(),
  active_deadline_seconds: z.int().positive().optional(),
  successful_jobs_history_limit: z.int().min(0).optional(),
  failed_jobs_history_limit: z.int().min(0).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

const ArgoCdSchema = z.strictObject({
  project: nonEmpty.default('default'),
  repo_url: nonEmpty,
  target_revision: nonEmpty.optional(),
  /** Namespace of Argo CD itself, where Applications live. */
  namespace: z.string().regex(DNS_LABEL).optional(),
  destination: z.strictObject({ server: url.optional(), name: nonEmpty.optional() }).optional(),
  sync: z.strictObject({
    automated: z.boolean().optional(),
    prune: z.boolean().optional(),
    self_heal: z.boolean().optional(),
    create_namespace: z.boolean().optional(),
    server_side_apply: z.boolean().optional(),
  }).optional(),
});

const PublishSchema = z.strictObject({
  github: z.strictObject({
    repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/name'),
    branch: nonEmpty.default('main'),
    pull_request: z.boolean().default(false),
    /** GitHub Enterprise API URL. */
    api_url: url.optional(),
  }).optional(),
  git: z.strictObject({
    /** Any git remote, or a path to a bare repository (relative to the catalog folder). */
    url: nonEmpty,
    branch: nonEmpty.default('main'),
  }).optional(),
});

export const ProjectSchema = z.strictObject({
  name: z.string().regex(DNS_LABEL, 'must be a DNS-1123 label: lowercase letters, digits, -'),
  /** ioos_qc major version the QC configs target: rule sets differ (3.0 removed location_test.bbox). */
  qc_version: z.union([z.literal(2), z.literal(3)]).default(3),
  servers: z.strictObject({
    erddap: serverMap(ErddapServerSchema).optional(),
    thredds: serverMap(ThreddsServerSchema).optional(),
    ckan: serverMap(CkanServerSchema).optional(),
  }).default({}),
  kubernetes: KubernetesSchema.optional(),
  argocd: ArgoCdSchema.optional(),
  publish: PublishSchema.optional(),
  defaults: DefaultsSchema.optional(),
  /** Named QC blocks that datasets reuse with `qc: { profile: NAME }`. */
  qc_profiles: z.record(z.string(), QcBlockSchema).optional(),
});

export type DatasetInput = z.output<typeof DatasetSchema>;
export type ProjectInput = z.output<typeof ProjectSchema>;
export type AttributeValue = z.output<typeof AttributeValueSchema>;
export type Attributes = Record<string, AttributeValue>;
export type Variable = z.output<typeof VariableSchema>;
export type Retry = z.output<typeof RetrySchema>;
export type SecretRef = z.output<typeof SecretRefSchema>;
export type JobSettings = z.output<typeof JobSettingsSchema>;
export type Resources = z.output<typeof ResourcesSchema>;
export type ErddapServiceInput = z.output<typeof ErddapServiceSchema>;
export type ThreddsServiceInput = z.output<typeof ThreddsServiceSchema>;
export type CkanServiceInput = z.output<typeof CkanServiceSchema>;
export type ErddapServer = z.output<typeof ErddapServerSchema>;
export type ThreddsServer = z.output<typeof ThreddsServerSchema>;
export type ThreddsCustomService = z.output<typeof ThreddsCustomServiceSchema>;
export type CkanServer = z.output<typeof CkanServerSchema>;
export type KubernetesSettings = z.output<typeof KubernetesSchema>;
export type ArgoCdSettings = z.output<typeof ArgoCdSchema>;
export type PublishSettings = z.output<typeof PublishSchema>;
