// The built-in THREDDS element of one dataset on one server: a `<dataset>`, or the
// `<datasetScan>`, `<featureCollection>` or `<catalogRef>` its options ask for.
import { posix } from 'node:path';
import type { Dataset, ThreddsService } from '../../schemas/catalog.js';
import type { ThreddsServer } from '../../schemas/model.js';
import { didYouMean } from '../../core/suggest.js';
import type { YamlPath } from '../../core/source.js';
import { checkFeatureType } from './checks.js';
import { dataFormatOf, dataTypeOf, inheritedMetadata, isPointType } from './metadata.js';
import { DATASET_SCAN, FEATURE_COLLECTION, isPointFeatureType, optionsElement, type ElementSpec, type OptionProblem } from './options.js';
import type { ServerServices } from './services.js';
import { el, NCML_NS, parseXml, XmlSyntaxError, type XmlElement } from './xml.js';

/** Keys a THREDDS service's `options` may have. */
const OPTION_KEYS = ['datasetScan', 'featureCollection', 'catalogRef', 'container', 'access', 'ncml', 'restrictAccess', 'harvest'] as const;
const KINDS = ['datasetScan', 'featureCollection', 'catalogRef', 'container'] as const;

const ACCESS: ElementSpec = { attributes: { urlPath: 'string', serviceName: 'string', dataFormat: 'string' } };
const CATALOG_REF: ElementSpec = { attributes: { href: 'string', title: 'string' }, required: ['href'] };

export interface BuildContext {
  dataset: Dataset;
  service: ThreddsService;
  server: ThreddsServer;
  services: ServerServices;
  /** YAML path of the service entry, e.g. ['services', 'thredds', 0]. */
  path: YamlPath;
  problems: OptionProblem[];
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

export function builtInElement(ctx: BuildContext): XmlElement {
  const { dataset, service } = ctx;
  const options = service.options ?? {};
  const optionsPath = [...ctx.path, 'options'];
  for (const key of Object.keys(options)) {
    if ((OPTION_KEYS as readonly string[]).includes(key)) continue;
    const suggestion = didYouMean(key, [...OPTION_KEYS]);
    ctx.problems.push({ severity: 'error', code: 'thredds-unknown-option', message: `THREDDS options have no "${key}"`, path: [...optionsPath, key],
      hint: suggestion ? `did you mean '${suggestion}'?` : `known: ${OPTION_KEYS.join(', ')}` });
  }
  const kinds = KINDS.filter((k) => options[k] !== undefined);
  if (kinds.length > 1) {
    ctx.problems.push({ severity: 'error', code: 'thredds-conflicting-options', message: `options ${kinds.join(' and ')} exclude each other`, path: optionsPath, hint: 'one THREDDS entry is one kind of dataset' });
  }
  const common = { name: dataset.title, ID: service.dataset_id, restrictAccess: stringOption(ctx, 'restrictAccess'), harvest: booleanOption(ctx, 'harvest') };
  switch (kinds[0]) {
    case 'datasetScan': return datasetScan(ctx, common);
    case 'featureCollection': return featureCollection(ctx, common);
    case 'catalogRef': return catalogRef(ctx, common);
    case 'container': return container(ctx, common);
    default: return plainDataset(ctx, common);
  }
}

type Common = Record<string, string | undefined>;

function plainDataset(ctx: BuildContext, common: Common): XmlElement {
  const { dataset, service } = ctx;
  const dataType = dataTypeOf(dataset, service);
  const serviceName = serviceNameFor(ctx, isPointType(dataType));
  const access = accessElements(ctx, serviceName);
  // With explicit access elements the dataset itself has no urlPath, or it would get one access too many.
  const element = el('dataset', { ...common, urlPath: access.length > 0 ? undefined : service.path });
  pushAll(element, [
    inheritedMetadata(dataset, { serviceName: access.length > 0 ? undefined : serviceName, dataType, dataFormat: dataFormatOf(service, service.path) }),
    ...access,
    ncmlElement(ctx),
  ]);
  return element;
}

/** `container: true`: a collection-level dataset with its metadata and no access of its own (what import keeps of a parent dataset). */
function container(ctx: BuildContext, common: Common): XmlElement {
  if (ctx.service.options?.container !== true) {
    ctx.problems.push({ severity: 'error', code: 'thredds-bad-option', message: 'container must be true', path: [...ctx.path, 'options', 'container'] });
  }
  const element = el('dataset', common);
  pushAll(element, [inheritedMetadata(ctx.dataset, { dataType: dataTypeOf(ctx.dataset, ctx.service) })]);
  return element;
}

function datasetScan(ctx: BuildContext, common: Common): XmlElement {
  const { dataset, service } = ctx;
  const at = [...ctx.path, 'options', 'datasetScan'];
  const raw = ctx.service.options?.datasetScan;
  const scan = isPlain(raw) ? normalizeScanShorthands(raw) : raw;
  const location = isPlain(scan) && typeof scan.location === 'string' ? scan.location : undefined;
  const resolved = resolveLocation(location, ctx.server.data_dir, service.path);
  if (resolved === undefined) {
    ctx.problems.push({ severity: 'error', code: 'thredds-scan-location', message: 'a datasetScan needs a location (the folder to scan)', path: at,
      hint: `set options.datasetScan.location, or servers.thredds.${service.server_key}.data_dir so it defaults to <data_dir>/${service.path}` });
  }
  const body = optionsElement('datasetScan', DATASET_SCAN, scan, at, ctx.problems);
  const dataType = dataTypeOf(dataset, service);
  const element = el('datasetScan', { ...common, path: service.path, location: resolved });
  element.attributes.push(...body.attributes.filter((a) => a.name !== 'location'));
  // The scanned files inherit the service: a datasetScan needs a serviceName even on TDS 5.
  pushAll(element, [inheritedMetadata(dataset, { serviceName: serviceNameFor(ctx, isPointType(dataType)), dataType, dataFormat: dataFormatOf(service, '') }), ncmlElement(ctx)]);
  element.children.push(...body.children);
  return element;
}

/** `filter: { include: '.*\.nc$' }`, `sort: decreasing`, `filesSort`, `addLatest: {…}`: short forms of the schema's elements. */
function normalizeScanShorthands(scan: Plain): Plain {
  const out: Plain = { ...scan };
  if (isPlain(scan.filter)) {
    const asSelectors = (value: unknown) => (Array.isArray(value) ? value : [value]).map((s) => (typeof s === 'string' ? { regExp: s } : s));
    const filter: Plain = { ...scan.filter };
    for (const key of ['include', 'exclude']) if (filter[key] !== undefined) filter[key] = asSelectors(filter[key]);
    out.filter = filter;
  }
  const order = scan.sort ?? scan.filesSort;
  if (order !== undefined) {
    const increasing = order === 'increasing' ? true : order === 'decreasing' ? false : isPlain(order) && 'increasing' in order ? order.increasing
      : isPlain(order) && isPlain(order.lexigraphicByName) ? order.lexigraphicByName.increasing : order;
    out.sort = { lexigraphicByName: { increasing } };
    delete out.filesSort;
  }
  if (isPlain(scan.addLatest)) {
    const { lastModifiedLimit, ...rest } = scan.addLatest;
    out.addProxies = lastModifiedLimit === undefined ? { simpleLatest: rest } : { latestComplete: { ...rest, lastModifiedLimit } };
    delete out.addLatest;
  }
  return out;
}

function featureCollection(ctx: BuildContext, common: Common): XmlElement {
  const { dataset, service } = ctx;
  const at = [...ctx.path, 'options', 'featureCollection'];
  const raw = service.options?.featureCollection;
  const options = isPlain(raw) ? moveRecheckAfter(raw, at, ctx.problems) : raw;
  const featureType = isPlain(options) && typeof options.featureType === 'string' ? options.featureType : undefined;
  if (featureType !== undefined) {
    checkFeatureType(featureType, (code, message, hint) => ctx.problems.push({ severity: 'error', code, message, path: [...at, 'featureType'], hint }));
  }
  if (isPlain(options) && isPlain(options.collection)) {
    const spec = typeof options.collection.spec === 'string' ? resolveLocation(options.collection.spec, ctx.server.data_dir, '') : undefined;
    // The collection name names the TDS's index files; the stable dataset ID keeps them when the title changes.
    options.collection = { name: service.dataset_id, ...options.collection, ...(spec !== undefined ? { spec } : {}) };
  }
  const body = optionsElement('featureCollection', FEATURE_COLLECTION, options, at, ctx.problems);
  const element = el('featureCollection', { ...common, path: service.path });
  element.attributes.push(...body.attributes);
  const dataType = dataTypeOf(dataset, service);
  // Without explicit services a featureCollection gets the TDS's standard services for its type.
  const serviceName = service.services ? serviceNameFor(ctx, featureType !== undefined && isPointFeatureType(featureType)) : undefined;
  pushAll(element, [inheritedMetadata(dataset, { serviceName, dataType, dataFormat: service.data_format }), ncmlElement(ctx)]);
  element.children.push(...body.children);
  return element;
}

/** `recheckAfter` on `<collection>` is ignored by the TDS (and invalid there): it belongs on `<update>`. */
function moveRecheckAfter(options: Plain, at: YamlPath, problems: OptionProblem[]): Plain {
  if (!isPlain(options.collection) || options.collection.recheckAfter === undefined) return { ...options };
  const { recheckAfter, ...collection } = options.collection;
  problems.push({ severity: 'warning', code: 'thredds-recheck-after-moved', message: 'collection.recheckAfter is ignored by the TDS; steller writes it on <update> instead',
    path: [...at, 'collection', 'recheckAfter'], hint: 'write featureCollection: { update: { recheckAfter: … } }' });
  const update = isPlain(options.update) ? options.update : {};
  return { ...options, collection, update: { recheckAfter, ...update } };
}

function catalogRef(ctx: BuildContext, common: Common): XmlElement {
  const at = [...ctx.path, 'options', 'catalogRef'];
  const body = optionsElement('catalogRef', CATALOG_REF, ctx.service.options?.catalogRef, at, ctx.problems);
  const href = body.attributes.find((a) => a.name === 'href')?.value;
  const title = body.attributes.find((a) => a.name === 'title')?.value ?? ctx.dataset.title;
  return el('catalogRef', { 'xlink:href': href, 'xlink:title': title, name: title, ID: common.ID });
}

function accessElements(ctx: BuildContext, serviceName: string | undefined): XmlElement[] {
  const list = ctx.service.options?.access;
  if (list === undefined) return [];
  const at = [...ctx.path, 'options', 'access'];
  if (!Array.isArray(list)) {
    ctx.problems.push({ severity: 'error', code: 'thredds-bad-option', message: 'access must be a list of { urlPath, serviceName, dataFormat }', path: at });
    return [];
  }
  return list.map((item, i) => {
    const element = optionsElement('access', ACCESS, item, [...at, i], ctx.problems);
    const has = (name: string) => element.attributes.some((a) => a.name === name);
    if (!has('urlPath')) element.attributes.unshift({ name: 'urlPath', ns: '', value: ctx.service.path });
    if (!has('serviceName') && serviceName !== undefined) element.attributes.push({ name: 'serviceName', ns: '', value: serviceName });
    return element;
  });
}

function ncmlElement(ctx: BuildContext): XmlElement | undefined {
  const text = ctx.service.options?.ncml;
  if (text === undefined) return undefined;
  const at = [...ctx.path, 'options', 'ncml'];
  if (typeof text !== 'string') {
    ctx.problems.push({ severity: 'error', code: 'thredds-bad-ncml', message: 'ncml must be the XML text of one <netcdf> element', path: at });
    return undefined;
  }
  try {
    const element = parseXml(text, NCML_NS);
    if (element.name === 'netcdf' && element.ns === NCML_NS) return element;
    ctx.problems.push({ severity: 'error', code: 'thredds-bad-ncml', message: `ncml must be a <netcdf> element of NcML 2.2, not <${element.name}>`, path: at });
  } catch (error) {
    const line = error instanceof XmlSyntaxError ? ` (line ${error.line} of the NcML)` : '';
    ctx.problems.push({ severity: 'error', code: 'thredds-bad-ncml', message: `ncml is not well-formed XML${line}: ${(error as Error).message}`, path: at });
  }
  return undefined;
}

/** The serviceName: the entry's own `services`, or the server's default compound for its kind of data. */
function serviceNameFor(ctx: BuildContext, pointData: boolean): string | undefined {
  const { service, services } = ctx;
  if (!service.services) return services.defaultFor(pointData);
  const { name, unknown } = services.forList(service.services, pointData);
  for (const missing of unknown) {
    const i = service.services.indexOf(missing);
    const suggestion = services.suggest(missing);
    ctx.problems.push({ severity: 'error', code: 'thredds-unknown-service', message: `service "${missing}" is not defined on THREDDS server "${service.server_key}"`,
      path: i >= 0 ? [...ctx.path, 'services', i] : [...ctx.path, 'services'],
      hint: suggestion ? `did you mean '${suggestion}'?` : `define it under servers.thredds.${service.server_key}.custom_services` });
  }
  return name;
}

/** Relative scan locations and collection specs are under the server's data_dir, as ERDDAP's fileDir is under file_dir. */
function resolveLocation(location: string | undefined, dataDir: string | undefined, fallback: string): string | undefined {
  if (location === undefined) return dataDir !== undefined && fallback !== '' ? posix.join(dataDir, fallback) : undefined;
  if (dataDir === undefined || /^([/$]|content\/|[a-z][a-z0-9+.-]*:)/i.test(location)) return location;
  return posix.join(dataDir, location);
}

function stringOption(ctx: BuildContext, key: string): string | undefined {
  const value = ctx.service.options?.[key];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  ctx.problems.push({ severity: 'error', code: 'thredds-bad-option', message: `${key} must be text`, path: [...ctx.path, 'options', key] });
  return undefined;
}

function booleanOption(ctx: BuildContext, key: string): string | undefined {
  const value = ctx.service.options?.[key];
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return String(value);
  ctx.problems.push({ severity: 'error', code: 'thredds-bad-option', message: `${key} must be true or false`, path: [...ctx.path, 'options', key] });
  return undefined;
}

function pushAll(element: XmlElement, children: (XmlElement | undefined)[]): void {
  for (const child of children) if (child) element.children.push(child);
}
