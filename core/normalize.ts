// From one schema-valid dataset record to the normalized Dataset: defaults merged, servers
// resolved, ids derived, templates located, and the single-dataset rules checked.
import nunjucks from 'nunjucks';
import { checkQc } from '../schemas/qc/check.js';
import type { CkanService, Dataset, ErddapService, Project, ThreddsService } from '../schemas/catalog.js';
import { ERDDAP_CODE_DATASET_ID, ERDDAP_DATASET_ID, ERDDAP_LOADABLE_DATASET_ID, type DatasetInput } from '../schemas/model.js';
import { cronProblems } from './cron.js';
import { memoizeByString } from './memo.js';
import type { Reporter } from './diagnostics.js';
import type { YamlPath } from './source.js';
import { didYouMean } from './suggest.js';
import type { TemplateResolver } from './templates.js';

export type ServerKind = 'erddap' | 'thredds' | 'ckan';

export interface NormalizeContext {
  project: Project;
  report: Reporter;
  templates: TemplateResolver;
}

/** Retry fallbacks once defaults are merged: three tries, a minute apart, doubling. */
const RETRY_FALLBACK = { max_retries: 3, delay: 60, backoff: 'exponential', jitter: 'none' } as const;

export function normalizeDataset(input: DatasetInput, file: string, ctx: NormalizeContext): Dataset {
  const { project, report } = ctx;
  const defaults = project.defaults ?? {};
  const id = input.id ?? fileStem(file);
  const at = (path: YamlPath, key = false) => ({ file, path, key });

  const time_zone = input.time_zone ?? defaults.time_zone ?? project.kubernetes?.time_zone ?? 'UTC';
  const mergedRetry = deepMerge(defaults.retry ?? {}, input.retry ?? {});
  const retry = input.retry || defaults.retry ? { ...RETRY_FALLBACK, ...mergedRetry } : undefined;

  const dataset: Dataset = {
    id,
    source_file: file,
    title: input.title,
    ...(input.summary !== undefined ? { summary: input.summary } : {}),
    keywords: input.keywords ?? defaults.keywords ?? [],
    attributes: deepMerge(defaults.attributes ?? {}, input.attributes ?? {}),
    ...(input.source || defaults.source ? { source: deepMerge(defaults.source ?? {}, input.source ?? {}) } : {}),
    ...(input.schedule !== undefined ? { schedule: input.schedule.trim() } : {}),
    time_zone,
    ...(retry ? { retry } : {}),
    secrets: input.secrets ?? [],
    kubernetes: deepMerge(defaults.kubernetes ?? {}, input.kubernetes ?? {}),
    variables: input.variables ?? [],
    services: { erddap: [], thredds: [], ckan: [] },
  };

  if (input.schedule !== undefined) {
    for (const problem of cronProblems(input.schedule)) {
      report.error('bad-cron', `schedule "${input.schedule}": ${problem}`, at(['schedule']), 'write 5 fields, e.g. "H/6 * * * *" (H = a stable per-dataset offset)');
    }
    if (!project.kubernetes && !dataset.kubernetes.image) {
      report.error('no-job-image', 'the dataset has a schedule but steller.yaml has no `kubernetes:` section to run it in', at(['schedule']),
        'add `kubernetes: { namespace, image }` to steller.yaml, or remove the schedule');
    }
  }
  const zoneSource: YamlPath | undefined = input.time_zone !== undefined ? ['time_zone'] : undefined;
  if (zoneSource && !isIanaTimeZone(time_zone)) {
    report.error('bad-time-zone', `"${time_zone}" is not an IANA time zone name`, at(zoneSource), 'use a name such as UTC, America/New_York or Etc/GMT+5');
  }

  checkVariables(dataset, file, report);
  checkSecrets(dataset, file, report);

  const services = input.services ?? {};
  services.erddap?.forEach((service, i) => {
    const path: YamlPath = ['services', 'erddap', i];
    const server_key = resolveServer('erddap', service.server, project, report, at([...path, 'server']));
    const dataset_id = serviceDatasetId(service, dataset, path, ctx, erddapIdFrom(id), file);
    const idAt = at([...path, service.dataset_id !== undefined ? 'dataset_id' : 'dataset_id_template']);
    // A digit-first id loads in ERDDAP (its code allows [A-Za-z0-9_-]) but breaks the documented rule:
    // only an imported server that already has one may keep it, by accepting the error.
    const accepted = service.accept_errors?.includes('bad-erddap-id') === true && ERDDAP_CODE_DATASET_ID.test(dataset_id);
    if (!ERDDAP_DATASET_ID.test(dataset_id) && (ERDDAP_LOADABLE_DATASET_ID.test(dataset_id) || accepted)) {
      // Servers in the wild use such ids (glider DAC, SalishSeaCast); an imported server must keep them.
      report.warning('erddap-id-style', `ERDDAP datasetID "${dataset_id}" loads, but ERDDAP documents a letter followed by letters, digits or _`, idAt, `e.g. "${erddapIdFrom(dataset_id)}"`);
    } else if (!ERDDAP_DATASET_ID.test(dataset_id)) {
      report.error('bad-erddap-id', `ERDDAP datasetID "${dataset_id}" must be a letter followed by letters, digits or _`, idAt, `e.g. "${erddapIdFrom(dataset_id)}"`);
    } else if (dataset_id.length > 80) {
      report.warning('long-erddap-id', `ERDDAP datasetID "${dataset_id}" is ${dataset_id.length} characters; ERDDAP recommends fewer than 32`, at(path));
    }
    const template_file = service.template_file !== undefined ? ctx.templates.resolve(file, service.template_file, at([...path, 'template_file'])) : undefined;
    if (server_key === undefined) return;
    const resolved: ErddapService = { ...service, server_key, dataset_id, protocol: erddapProtocol(service.type, dataset) };
    if (template_file !== undefined) resolved.template_file = template_file;
    else delete resolved.template_file;
    dataset.services.erddap.push(resolved);
  });
  services.thredds?.forEach((service, i) => {
    const path: YamlPath = ['services', 'thredds', i];
    const server_key = resolveServer('thredds', service.server, project, report, at([...path, 'server']));
    const dataset_id = serviceDatasetId(service, dataset, path, ctx, id, file);
    const template_file = service.template_file !== undefined ? ctx.templates.resolve(file, service.template_file, at([...path, 'template_file'])) : undefined;
    if (service.path !== undefined && (service.path.startsWith('/') || service.path.split('/').includes('..') || /^[a-z]+:/i.test(service.path))) {
      report.error('bad-url-path', `THREDDS path "${service.path}" must be relative, without .. or a scheme`, at([...path, 'path']), 'e.g. ports/PORTS_CC_realtime');
    }
    if (server_key === undefined) return;
    const urlPath = service.path ?? `${datasetFolder(file)}/${dataset_id}`;
    const group = service.group ?? (urlPath.includes('/') ? urlPath.split('/')[0] : datasetFolder(file));
    const resolved: ThreddsService = { ...service, server_key, dataset_id, path: urlPath, group };
    if (template_file !== undefined) resolved.template_file = template_file;
    else delete resolved.template_file;
    dataset.services.thredds.push(resolved);
  });
  services.ckan?.forEach((service, i) => {
    const server_key = resolveServer('ckan', service.server, project, report, at(['services', 'ckan', i, 'server']));
    if (server_key !== undefined) dataset.services.ckan.push({ ...service, server_key } satisfies CkanService);
  });

  if (input.qc !== undefined) {
    const qc = checkQc(input.qc, {
      qcVersion: project.qc_version,
      ...(input.variables ? { variables: dataset.variables.map((v) => v.name) } : {}),
      profiles: project.qc_profiles ?? {},
      error: (code, message, path, hint, key) => report.error(code, message, at(path, key), hint),
      warning: (code, message, path, hint, key) => report.warning(code, message, at(path, key), hint),
    }, ['qc']);
    if (qc) dataset.qc = qc;
  }
  return dataset;
}

function serviceDatasetId(
  service: { dataset_id?: string; dataset_id_template?: string },
  dataset: Dataset, path: YamlPath, ctx: NormalizeContext, fallback: string, file: string,
): string {
  if (service.dataset_id !== undefined) return service.dataset_id;
  if (service.dataset_id_template === undefined) return fallback;
  try {
    // Rendered with the dataset as data; autoescape is off because the result is an identifier
    // that the id rules check next, not markup.
    return idTemplates.renderString(service.dataset_id_template, { dataset }).trim();
  } catch (error) {
    ctx.report.error('bad-template', `dataset_id_template does not render: ${firstLine(error)}`, { file, path: [...path, 'dataset_id_template'] });
    return fallback;
  }
}

const idTemplates = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
}

/** `griddap` for EDDGrid classes, `type: griddap`, or (with no type) a dataset with grid axes. */
export function erddapProtocol(type: string | undefined, dataset: Dataset): 'tabledap' | 'griddap' {
  if (type === undefined) return dataset.variables.some((v) => v.axis) ? 'griddap' : 'tabledap';
  return type === 'griddap' || type.startsWith('EDDGrid') ? 'griddap' : 'tabledap';
}

/** The first folder of a dataset file under datasets/, or `datasets` for a file at the top. */
function datasetFolder(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts[1] : 'datasets';
}

/** An ERDDAP datasetID from any id: invalid characters become `_`, and it starts with a letter. */
export function erddapIdFrom(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `d_${cleaned}`;
}

/** Server references are a key of `servers.<kind>`, or the server's URL with or without scheme. */
export function resolveServer(kind: ServerKind, ref: string, project: Project, report: Reporter, at: { file: string; path: YamlPath }): string | undefined {
  const servers = project.servers[kind] ?? {};
  if (Object.hasOwn(servers, ref)) return ref;
  const wanted = urlIdentity(ref);
  for (const [key, server] of Object.entries(servers)) if (urlIdentity(server.url) === wanted) return key;
  for (const other of ['erddap', 'thredds', 'ckan'] as const) {
    if (other === kind) continue;
    for (const [key, server] of Object.entries(project.servers[other] ?? {})) {
      if (key === ref || urlIdentity(server.url) === wanted) {
        report.error('wrong-server-kind', `server "${ref}" is a ${other} server, not a ${kind} server`, at, `list it under servers.${kind} in steller.yaml, or name a ${kind} server`);
        return undefined;
      }
    }
  }
  const keys = Object.keys(servers);
  const suggestion = didYouMean(ref, keys);
  report.error('unknown-server', `no ${kind} server "${ref}" in steller.yaml`, at,
    suggestion ? `did you mean '${suggestion}'?` : keys.length ? `known ${kind} servers: ${keys.join(', ')} (by key or url)` : `add it under servers.${kind} in steller.yaml`);
  return undefined;
}

/** `https://Data.Example.org/erddap` and `data.example.org/erddap/` name the same server. */
export function urlIdentity(ref: string): string {
  const withoutScheme = ref.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const slash = withoutScheme.indexOf('/');
  const host = (slash < 0 ? withoutScheme : withoutScheme.slice(0, slash)).toLowerCase().replace(/:(80|443)$/, '');
  const path = (slash < 0 ? '' : withoutScheme.slice(slash)).replace(/\/+$/, '');
  return `${host}${path}`;
}

function checkVariables(dataset: Dataset, file: string, report: Reporter): void {
  const seen = new Map<string, number>();
  dataset.variables.forEach((variable, i) => {
    const first = seen.get(variable.name.toLowerCase());
    if (first !== undefined) {
      report.error('duplicate-variable', `variable "${variable.name}" is listed twice (also at variables[${first}])`, { file, path: ['variables', i, 'name'] });
    } else {
      seen.set(variable.name.toLowerCase(), i);
    }
  });
}

function checkSecrets(dataset: Dataset, file: string, report: Reporter): void {
  const seen = new Set<string>();
  dataset.secrets.forEach((secret, i) => {
    if (seen.has(secret.env)) report.error('duplicate-secret', `secret env ${secret.env} is set twice`, { file, path: ['secrets', i, 'env'] });
    seen.add(secret.env);
  });
}

export const isIanaTimeZone = memoizeByString(judgeZone);

let canonicalZones: ReadonlySet<string> | undefined;

function judgeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  // The list of canonical zones takes 1.5 ms; a first DateTimeFormat 15 ms (ICU's zone data).
  // Aliases (US/Eastern) are not listed, but DateTimeFormat accepts them. Nor is UTC, the zone
  // most configs name: added here.
  canonicalZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);
  if (canonicalZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function fileStem(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base.replace(/\.ya?ml$/i, '');
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Maps merge key by key (recursively), anything else in `over` replaces `base`. */
export function deepMerge<T extends object>(base: T, over: Partial<T> | T): T {
  const out: Plain = { ...(base as Plain) };
  for (const [key, value] of Object.entries(over as Plain)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlain(current) && isPlain(value) && !('value' in value && 'type' in value) ? deepMerge(current, value) : value;
  }
  return out as T;
}
