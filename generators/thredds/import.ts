// `steller import thredds`: an existing THREDDS catalog (config or client, with nested
// datasets, catalogRefs, datasetScans, featureCollections and inherited metadata) becomes catalog
// records. Datasets, IDs, urlPaths and services always come across; whatever has no place in
// the catalog model is listed per dataset. Reading referenced files is the caller's job.
import { posix } from 'node:path';
import type { DatasetInput, ThreddsCustomService } from '../../schemas/model.js';
import { compareStrings } from '../../core/diagnostics.js';
import { addDecimals } from './metadata.js';
import { DATASET_SCAN, elementOptions, FEATURE_COLLECTION, type ElementSpec } from './options.js';
import { attr, childElements, NCML_NS, parseXml, serialize, textOf, THREDDS_NS, XLINK_NS, XmlSyntaxError, type XmlElement } from './xml.js';

export interface CatalogSource {
  /** Name for messages (a path). */
  file: string;
  text: string;
}

export interface ImportNote {
  severity: 'warning' | 'info';
  message: string;
  file: string;
  line: number;
}

export interface ImportedDataset {
  /** The catalog id, also the file stem. */
  id: string;
  /** Folder under datasets/ (the urlPath's first folder, as the build groups it). */
  folder: string;
  /** The THREDDS ID it had, if any. */
  threddsId?: string;
  record: DatasetInput;
  notes: ImportNote[];
  file: string;
  line: number;
}

export interface ImportResult {
  datasets: ImportedDataset[];
  /** What the server entry in steller.yaml needs. */
  server: { custom_services: Record<string, ThreddsCustomService>; data_roots: Record<string, string>; url?: string };
  notes: ImportNote[];
  /** Catalog files read (the first, and local catalogRefs followed). */
  files: string[];
}

export type ImportOutcome = { ok: true; result: ImportResult } | { ok: false; file: string; line: number; message: string };

export interface ImportOptions {
  serverKey: string;
  /** The server's public URL, when known: unfollowed relative catalogRefs become links under it. */
  serverUrl?: string;
  /** Reads a catalogRef'd file (href resolved against the referring file); undefined when it cannot. */
  read(file: string): string | undefined;
}

/** THREDDS metadata inherited by nested datasets (metadata inherited="true"), or local to one. */
interface Inherited {
  serviceName?: string;
  /** A serviceName attribute of an ancestor: older catalogs relied on it. */
  ancestorServiceName?: string;
  dataType?: string;
  dataFormat?: string;
  summary?: string;
  keywords: string[];
  attributes: Record<string, string | number>;
  dropped: string[];
}

const EMPTY: Inherited = { keywords: [], attributes: {}, dropped: [] };
const DATASET_ATTRIBUTES = new Set(['name', 'ID', 'urlPath', 'serviceName', 'dataType', 'authority', 'harvest', 'restrictAccess', 'path', 'location', 'featureType',
  'addLatest', 'excludeEmptyDirs', 'alias', 'collectionType']);
const DOCUMENTATION_ATTRIBUTE: Record<string, string> = { rights: 'license', history: 'history', processing_level: 'processing_level', funding: 'acknowledgement' };

class Importer {
  readonly datasets: ImportedDataset[] = [];
  readonly notes: ImportNote[] = [];
  readonly services = new Map<string, ThreddsCustomService>();
  readonly dataRoots = new Map<string, string>();
  readonly files: string[] = [];
  private readonly ids = new Set<string>();
  private readonly threddsIds = new Set<string>();
  private readonly urlPaths = new Set<string>();
  private absoluteBase?: string;

  constructor(private readonly options: ImportOptions) {}

  importFile(source: CatalogSource): { ok: false; line: number; message: string } | undefined {
    if (this.files.includes(source.file)) return undefined;
    this.files.push(source.file);
    let root: XmlElement;
    try {
      root = parseXml(source.text);
    } catch (error) {
      return { ok: false, line: error instanceof XmlSyntaxError ? error.line : 1, message: `not well-formed XML: ${(error as Error).message}` };
    }
    if (root.name !== 'catalog' || root.ns !== THREDDS_NS) {
      return { ok: false, line: root.line ?? 1, message: `<${root.name}> (namespace ${root.ns || 'none'}) is not a THREDDS InvCatalog 1.x <catalog>` };
    }
    for (const child of childElements(root)) {
      if (child.name === 'service') this.addService(child, source.file);
      else if (child.name === 'datasetRoot') this.addDataRoot(child, source.file);
    }
    for (const child of childElements(root)) {
      if (child.name === 'service' || child.name === 'datasetRoot') continue;
      if (DATASET_KINDS.has(child.name)) this.visit(child, EMPTY, source, []);
      else this.note(source.file, child, 'warning', `<${child.name}> of the catalog is not carried over`);
    }
    return undefined;
  }

  private addService(element: XmlElement, file: string): string[] {
    const name = attr(element, 'name') ?? '';
    let type = attr(element, 'serviceType') ?? '';
    if (type.toLowerCase() === 'fileserver') {
      this.note(file, element, 'warning', `service "${name}": serviceType FileServer does not exist, imported as HTTPServer`);
      type = 'HTTPServer';
    } else if (type.toLowerCase() === 'compound' && type !== 'Compound') {
      this.note(file, element, 'info', `service "${name}": serviceType "${type}" written as Compound`);
      type = 'Compound';
    }
    const nested = childElements(element, 'service').flatMap((child) => this.addService(child, file));
    if (/\s/.test(name) || name === '') {
      this.note(file, element, 'warning', `service "${name}" has no usable name and is not carried over`);
      return nested;
    }
    const base = attr(element, 'base') ?? '';
    this.rememberAbsoluteBase(base);
    const service: ThreddsCustomService = { type, ...(type === 'Compound' ? { services: [...new Set(nested)] } : { base }) };
    const suffix = attr(element, 'suffix');
    const desc = attr(element, 'desc');
    if (suffix !== undefined) service.suffix = suffix;
    if (desc !== undefined) service.desc = desc;
    const previous = this.services.get(name);
    if (previous && JSON.stringify(previous) !== JSON.stringify(service)) {
      this.note(file, element, 'warning', `service "${name}" is defined differently in ${this.files[0]}; the first definition is kept`);
    } else {
      this.services.set(name, service);
    }
    if (childElements(element, 'property').length > 0) this.note(file, element, 'warning', `service "${name}": <property> elements are not carried over`);
    // A compound's members become the members of its parent compound (steller's compounds do not nest).
    return type === 'Compound' ? nested : [name];
  }

  private addDataRoot(element: XmlElement, file: string): void {
    const path = attr(element, 'path')?.replace(/^\/+|\/+$/g, '');
    const location = attr(element, 'location');
    if (!path || !location) {
      this.note(file, element, 'warning', 'a <datasetRoot> without path or location is not carried over');
      return;
    }
    if (this.dataRoots.has(path) && this.dataRoots.get(path) !== location) this.note(file, element, 'warning', `datasetRoot "${path}" is defined twice; the first is kept (as the TDS does)`);
    else this.dataRoots.set(path, location);
  }

  /** Client catalogs name services by absolute URL: the server URL is what comes before the context's service path. */
  private rememberAbsoluteBase(base: string): void {
    const match = /^(https?:\/\/[^/]+\/[^/]+\/)(dodsC|fileServer|wms|wcs|ncss|iso|ncml|uddc|dap4|cdmremote)\//.exec(base);
    if (match && !this.absoluteBase) this.absoluteBase = match[1];
  }

  get serverUrl(): string | undefined {
    return this.options.serverUrl ?? this.absoluteBase;
  }

  private visit(element: XmlElement, inherited: Inherited, source: CatalogSource, containers: string[]): void {
    const own = metadataOf(element, inherited);
    const name = attr(element, 'name') ?? '';
    if (element.name === 'catalogRef') return this.catalogRef(element, source);
    const serves = element.name !== 'dataset' || attr(element, 'urlPath') !== undefined || childElements(element, 'access').length > 0;
    if (serves) this.addDataset(element, own.local, source, containers);
    const children = childElements(element).filter((c) => DATASET_KINDS.has(c.name));
    if (!serves && attr(element, 'ID') !== undefined) this.addContainer(element, own.local, source, containers, children);
    else if (!serves && children.length === 0 && element.name === 'dataset') {
      this.note(source.file, element, 'warning', `dataset "${name}" has no ID, urlPath, access or nested datasets: nothing to serve, not carried over`);
    }
    for (const child of children) this.visit(child, own.inherited, source, name ? [...containers, name] : containers);
  }

  private catalogRef(element: XmlElement, source: CatalogSource): void {
    const href = attr(element, 'href', XLINK_NS) ?? '';
    const title = attr(element, 'title', XLINK_NS) ?? attr(element, 'name') ?? href;
    const local = href !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('/');
    if (local) {
      const file = posix.normalize(posix.join(posix.dirname(source.file), href.split('#')[0]));
      if (this.files.includes(file)) return;
      const text = this.options.read(file);
      if (text !== undefined) {
        const failure = this.importFile({ file, text });
        if (failure) this.note(file, { ...element, line: failure.line }, 'warning', `catalogRef ${href}: ${failure.message}; its datasets are not imported`);
        return;
      }
    }
    // A link steller does not follow stays a link: relative ones become URLs on the server.
    const link = local && this.serverUrl ? new URL(`catalog/${posix.normalize(posix.join(posix.dirname(this.relativeToFirst(source.file)), href))}`, this.serverUrl).href : href;
    const notes: string[] = [];
    if (local && link === href) notes.push(`catalogRef ${href} was not found next to ${source.file} and is kept as a relative link: pass --url so it becomes a link to the server, or copy the referenced catalog beside it`);
    else if (local) notes.push(`catalogRef ${href} was not found next to ${source.file}: kept as a link to ${link}`);
    const id = attr(element, 'ID') ?? slug(title || href);
    this.push(element, source, {
      title: title || href,
      path: `links/${slug(id)}`,
      threddsId: attr(element, 'ID'),
      options: { catalogRef: { href: link, ...(title ? { title } : {}) } },
      inherited: { ...EMPTY, keywords: [], attributes: {}, dropped: [] },
      notes,
    });
  }

  private relativeToFirst(file: string): string {
    const base = posix.dirname(this.files[0]);
    return posix.relative(base, file) || posix.basename(file);
  }

  /** A dataset with an ID and no access of its own keeps its ID, name and metadata as a container, in its first child's group. */
  private addContainer(element: XmlElement, metadata: Inherited, source: CatalogSource, containers: string[], children: XmlElement[]): void {
    const folder = firstServedPath(children)?.split('/')[0];
    const id = attr(element, 'ID') as string;
    const notes = [...metadata.dropped, 'a container of other datasets: steller keeps its ID, name and metadata, and its datasets are imported on their own'];
    if (containers.length > 0) notes.push(`nested in ${containers.map((c) => `"${c}"`).join(' > ')}`);
    this.push(element, source, {
      title: attr(element, 'name') || id, path: `${folder && folder !== '' ? folder : 'containers'}/${slug(id)}`, threddsId: id,
      dataType: attr(element, 'dataType') ?? metadata.dataType, options: { container: true }, inherited: metadata, notes,
    });
  }

  private addDataset(element: XmlElement, metadata: Inherited, source: CatalogSource, containers: string[]): void {
    const notes = [...metadata.dropped];
    const options: Record<string, unknown> = {};
    for (const a of element.attributes) {
      if (a.ns !== '' || !DATASET_ATTRIBUTES.has(a.name)) notes.push(`attribute ${a.ns === XLINK_NS ? 'xlink:' : ''}${a.name}="${a.value}" is not carried over`);
    }
    const restrict = attr(element, 'restrictAccess');
    if (restrict !== undefined) options.restrictAccess = restrict;
    const harvest = attr(element, 'harvest');
    if (harvest !== undefined) options.harvest = harvest.trim().toLowerCase() === 'true';
    for (const dropped of ['alias', 'collectionType']) if (attr(element, dropped) !== undefined) notes.push(`attribute ${dropped} is not carried over`);
    const ncml = childElements(element).find((c) => c.name === 'netcdf' && c.ns === NCML_NS);
    if (ncml) options.ncml = serialize(ncml, 0, NCML_NS).trimEnd();

    let path: string;
    // The dataset's own attribute first, then THREDDS metadata, then an ancestor's attribute (InvCatalog spec, "Dataset Default Service").
    const serviceName = attr(element, 'serviceName') ?? metadata.serviceName ?? metadata.ancestorServiceName;
    let services: string[] | undefined;
    if (element.name === 'datasetScan' || element.name === 'featureCollection') {
      path = (attr(element, 'path') ?? '').replace(/^\/+|\/+$/g, '');
      const spec = element.name === 'datasetScan' ? DATASET_SCAN : FEATURE_COLLECTION;
      const dropped: string[] = [];
      if (element.name === 'datasetScan') {
        const scan = normalizeScanElement(element, notes);
        options.datasetScan = simplifyScan(elementOptions(withoutDatasetParts(scan.element, spec), spec, dropped), scan.addLatest);
      } else {
        const collection = elementOptions(withoutDatasetParts(renameOldBestDataset(element), spec), spec, dropped);
        // The TDS names a collection's index files after the collection name, else the featureCollection's: keep that name.
        const collectionElement = childElements(element, 'collection')[0];
        if (collectionElement && attr(collectionElement, 'name') === undefined && attr(element, 'name')) {
          collection.collection = { name: attr(element, 'name'), ...(collection.collection as object) };
        }
        options.featureCollection = collection;
      }
      notes.push(...dropped.map((d) => `${d} is not carried over`));
      if (serviceName !== undefined) services = [serviceName];
    } else {
      const access = childElements(element, 'access');
      const urlPath = attr(element, 'urlPath');
      path = urlPath ?? (access[0] ? attr(access[0], 'urlPath') : undefined) ?? '';
      const entries = access.map((a) => compact({ urlPath: attr(a, 'urlPath'), serviceName: attr(a, 'serviceName') ?? serviceName, dataFormat: attr(a, 'dataFormat') }));
      const shared = urlPath !== undefined && this.urlPaths.has(stripSlash(urlPath));
      if (urlPath !== undefined && (entries.length > 0 || shared)) {
        entries.unshift(compact({ urlPath: stripSlash(urlPath), serviceName, dataFormat: undefined }));
        if (shared) notes.push(`urlPath ${urlPath} is also another dataset's: carried as an <access> element, as steller keeps dataset urlPaths unique`);
      }
      if (entries.length > 0) options.access = entries.map((e) => ({ ...e, urlPath: stripSlash(String(e.urlPath)) }));
      else if (serviceName !== undefined) services = [serviceName];
    }
    if (path.startsWith('/')) {
      notes.push(`urlPath "${path}" loses its leading /, which the service base already ends with`);
      path = stripSlash(path);
    }
    if (path === '') {
      this.note(source.file, element, 'warning', `${element.name} "${attr(element, 'name') ?? ''}" has no urlPath or path and is not carried over`);
      return;
    }
    if (services && !this.services.has(services[0])) {
      // TDS 5 catalogs may use the root catalog's (global) services without defining them.
      notes.push(services[0] === 'all'
        ? 'serviceName "all" is not defined in the imported catalogs (a global service of the root catalog?): the server\'s `all` stands in'
        : `serviceName "${services[0]}" is not defined in the imported catalogs (a global service of the root catalog?): define it in servers.thredds.${this.options.serverKey}.custom_services`);
    }
    if (containers.length > 0) notes.push(`nested in ${containers.map((c) => `"${c}"`).join(' > ')}; steller groups datasets by the urlPath's first folder`);
    this.push(element, source, {
      title: attr(element, 'name') || attr(element, 'ID') || path,
      path,
      threddsId: attr(element, 'ID'),
      services: services?.[0] === 'all' ? undefined : services,
      dataType: attr(element, 'dataType') ?? metadata.dataType,
      dataFormat: metadata.dataFormat,
      options,
      inherited: metadata,
      notes,
    });
  }

  private push(element: XmlElement, source: CatalogSource, entry: {
    title: string; path: string; threddsId?: string; services?: string[]; dataType?: string; dataFormat?: string;
    options: Record<string, unknown>; inherited: Inherited; notes: string[];
  }): void {
    const notes = entry.notes.map((message) => ({ severity: 'warning' as const, message, file: source.file, line: element.line ?? 1 }));
    let threddsId = entry.threddsId;
    if (threddsId !== undefined && this.threddsIds.has(threddsId)) {
      const renamed = uniqueName(threddsId, this.threddsIds);
      notes.push({ severity: 'warning', message: `ID "${threddsId}" is used twice in the imported catalogs; this one is ${renamed}, as steller keeps IDs unique per server`, file: source.file, line: element.line ?? 1 });
      threddsId = renamed;
    }
    if (threddsId !== undefined) this.threddsIds.add(threddsId);
    if (!entry.options.access) this.urlPaths.add(entry.path);
    const id = uniqueName(slug(threddsId ?? entry.path.replace(/\.[A-Za-z0-9]+$/, '')), this.ids, true);
    this.ids.add(id.toLowerCase());
    const folder = entry.path.includes('/') ? slug(entry.path.split('/')[0]) : slug(posix.basename(source.file).replace(/\.xml$/i, '')) || 'thredds';
    const service: Record<string, unknown> = { server: this.options.serverKey };
    if (threddsId !== undefined) service.dataset_id = threddsId;
    service.path = entry.path;
    if (!entry.path.includes('/')) service.group = folder;
    if (entry.services) service.services = entry.services;
    if (entry.dataType !== undefined) service.data_type = entry.dataType;
    if (entry.dataFormat !== undefined) service.data_format = entry.dataFormat;
    if (Object.keys(entry.options).length > 0) service.options = entry.options;
    const { summary, keywords, attributes } = entry.inherited;
    const record = compact({
      id,
      title: entry.title,
      summary,
      keywords: keywords.length > 0 ? [...new Set(keywords)] : undefined,
      attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
      services: { thredds: [service] },
    }) as DatasetInput;
    this.datasets.push({ id, folder, ...(threddsId !== undefined ? { threddsId } : {}), record, notes, file: source.file, line: element.line ?? 1 });
  }

  private note(file: string, element: XmlElement, severity: ImportNote['severity'], message: string): void {
    this.notes.push({ severity, message, file, line: element.line ?? 1 });
  }
}

const DATASET_KINDS: ReadonlySet<string> = new Set(['dataset', 'datasetScan', 'featureCollection', 'catalogRef']);

/** The urlPath (or scan/collection path) of the first dataset below these that has one. */
function firstServedPath(elements: XmlElement[]): string | undefined {
  for (const element of elements) {
    const own = attr(element, 'urlPath') ?? (element.name === 'dataset' ? undefined : attr(element, 'path')) ?? childElements(element, 'access').map((a) => attr(a, 'urlPath'))[0];
    if (own) return own.replace(/^\/+/, '');
    const nested = firstServedPath(childElements(element).filter((c) => DATASET_KINDS.has(c.name) && c.name !== 'catalogRef'));
    if (nested) return nested;
  }
  return undefined;
}

export function importThreddsCatalog(source: CatalogSource, options: ImportOptions): ImportOutcome {
  const importer = new Importer(options);
  const failure = importer.importFile(source);
  if (failure) return { ok: false, file: source.file, line: failure.line, message: failure.message };
  const customServices = Object.fromEntries([...importer.services].sort(([a], [b]) => compareStrings(a, b)));
  return {
    ok: true,
    result: {
      datasets: importer.datasets,
      server: { custom_services: customServices, data_roots: Object.fromEntries(importer.dataRoots), ...(importer.serverUrl ? { url: importer.serverUrl } : {}) },
      notes: importer.notes,
      files: importer.files,
    },
  };
}

/**
 * A dataset's THREDDS metadata: what applies to it (`local`) and what its children inherit.
 * `<metadata inherited="true">` passes on; other metadata and direct children apply here only.
 */
function metadataOf(element: XmlElement, parent: Inherited): { local: Inherited; inherited: Inherited } {
  const inherited = cloneInherited(parent);
  const ancestorServiceName = attr(element, 'serviceName') ?? parent.ancestorServiceName;
  inherited.ancestorServiceName = ancestorServiceName;
  const local = cloneInherited(parent);
  for (const child of childElements(element)) {
    if (child.name === 'metadata' && child.ns === THREDDS_NS) {
      const targets = attr(child, 'inherited')?.trim() === 'true' ? [local, inherited] : [local];
      if (attr(child, 'href', XLINK_NS) !== undefined || (attr(child, 'metadataType') ?? 'THREDDS') !== 'THREDDS') {
        local.dropped.push(`<metadata> of type ${attr(child, 'metadataType') ?? 'link'} is not carried over`);
        continue;
      }
      for (const item of childElements(child)) for (const target of targets) applyMetadata(item, target);
    } else if (child.ns === THREDDS_NS && !DATASET_KINDS.has(child.name) && !NOT_METADATA.has(child.name)) {
      applyMetadata(child, local);
    }
  }
  local.ancestorServiceName = parent.ancestorServiceName;
  return { local, inherited };
}

/** Children of a dataset that are not THREDDS metadata (handled where the dataset is read). */
const NOT_METADATA = new Set(['access', 'filter', 'namer', 'sort', 'filesSort', 'addLatest', 'addProxies', 'addTimeCoverage', 'addID', 'addDatasetSize',
  'collection', 'update', 'tdm', 'protoDataset', 'fmrcConfig', 'pointConfig', 'gribConfig', 'service', 'datasetRoot']);

function cloneInherited(from: Inherited): Inherited {
  return { ...from, keywords: [...from.keywords], attributes: { ...from.attributes }, dropped: [...from.dropped] };
}

/** One THREDDS metadata element into the catalog's terms (ACDD attributes where the model has no field). */
function applyMetadata(item: XmlElement, target: Inherited): void {
  const text = textOf(item).trim();
  const setAttribute = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') target.attributes[name] = value;
  };
  switch (item.name) {
    case 'serviceName': target.serviceName = text; break;
    case 'dataType': target.dataType = text; break;
    case 'dataFormat': target.dataFormat = text; break;
    case 'authority': setAttribute('naming_authority', text); break;
    case 'keyword': if (text) target.keywords.push(text); break;
    case 'project': setAttribute('project', text); break;
    case 'documentation': documentation(item, text, target); break;
    case 'creator': case 'publisher': {
      const contact = childElements(item, 'contact')[0];
      setAttribute(`${item.name}_name`, childElements(item, 'name')[0] ? textOf(childElements(item, 'name')[0]).trim() : undefined);
      if (contact) {
        setAttribute(`${item.name}_email`, attr(contact, 'email'));
        setAttribute(`${item.name}_url`, attr(contact, 'url'));
      }
      break;
    }
    case 'contributor': setAttribute('contributor_name', text); setAttribute('contributor_role', attr(item, 'role')); break;
    case 'date': {
      const type = attr(item, 'type');
      if (type === 'created' || type === 'modified' || type === 'issued') setAttribute(`date_${type}`, text);
      else target.dropped.push(`<date type="${type ?? ''}"> is not carried over`);
      break;
    }
    case 'geospatialCoverage': geospatial(item, target); break;
    case 'timeCoverage': {
      for (const part of ['start', 'end', 'duration', 'resolution']) {
        const value = childElements(item, part)[0];
        setAttribute(`time_coverage_${part}`, value ? textOf(value).trim() : undefined);
      }
      // steller writes an open end ("present") by itself for a start with nothing else.
      if (target.attributes.time_coverage_start !== undefined && target.attributes.time_coverage_end === 'present' && target.attributes.time_coverage_duration === undefined) {
        delete target.attributes.time_coverage_end;
      }
      break;
    }
    default:
      target.dropped.push(`<${item.name}> is not carried over`);
  }
}

function documentation(item: XmlElement, text: string, target: Inherited): void {
  const type = attr(item, 'type');
  const href = attr(item, 'href', XLINK_NS);
  if (href !== undefined) {
    if (target.attributes.infoUrl === undefined) target.attributes.infoUrl = href;
    else target.dropped.push(`documentation link ${href} is not carried over (infoUrl is ${target.attributes.infoUrl})`);
    return;
  }
  if (text === '') return;
  if (type === undefined || type === 'summary') {
    if (type === 'summary' || target.summary === undefined) target.summary = text;
    return;
  }
  const attribute = DOCUMENTATION_ATTRIBUTE[type];
  if (attribute) target.attributes[attribute] = text;
  else target.dropped.push(`<documentation type="${type}"> is not carried over`);
}

/** Coverage bounds are numbers in ACDD; as YAML numbers other outputs type them right. */
function setNumber(target: Inherited, name: string, text: string): void {
  target.attributes[name] = Number(text);
}

function geospatial(item: XmlElement, target: Inherited): void {
  const axes: [string, string][] = [['northsouth', 'lat'], ['eastwest', 'lon'], ['updown', 'vertical']];
  for (const [element, name] of axes) {
    const range = childElements(item, element)[0];
    if (!range) continue;
    const start = childElements(range, 'start')[0] ? textOf(childElements(range, 'start')[0]).trim() : undefined;
    const size = childElements(range, 'size')[0] ? textOf(childElements(range, 'size')[0]).trim() : undefined;
    if (start === undefined || size === undefined || !/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(start) || !/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(size)) continue;
    setNumber(target, `geospatial_${name}_min`, start);
    setNumber(target, `geospatial_${name}_max`, addDecimals(start, size));
    const units = childElements(range, 'units')[0];
    if (name === 'vertical' && units) target.attributes.geospatial_vertical_units = textOf(units).trim();
  }
  const zpositive = attr(item, 'zpositive');
  if (zpositive !== undefined) target.attributes.geospatial_vertical_positive = zpositive;
  if (childElements(item, 'name').length > 0) target.dropped.push('geospatialCoverage <name> is not carried over');
}

/** The element's own server-side attributes and children only (its dataset parts were read as metadata). */
function withoutDatasetParts(element: XmlElement, spec: ElementSpec): XmlElement {
  return {
    ...element,
    attributes: element.attributes.filter((a) => a.ns === '' && Object.hasOwn(spec.attributes ?? {}, a.name)),
    children: element.children.filter((c): c is XmlElement => typeof c !== 'string' && c.ns === THREDDS_NS && NOT_METADATA.has(c.name) && c.name !== 'access'),
  };
}

/** fmrcConfig's `<dataset>` (schema 1.0.7) is `<bestDataset>` in 1.3; the TDS reads both. */
function renameOldBestDataset(element: XmlElement): XmlElement {
  return {
    ...element,
    children: element.children.map((c) => (typeof c !== 'string' && c.name === 'fmrcConfig'
      ? { ...c, children: c.children.map((d) => (typeof d !== 'string' && d.name === 'dataset' ? { ...d, name: 'bestDataset' } : d)) }
      : c)),
  };
}

/** datasetScan children with another form in steller's options: filesSort becomes sort, the addLatest element its options. */
function normalizeScanElement(element: XmlElement, notes: string[]): { element: XmlElement; addLatest?: Record<string, unknown> } {
  const children: XmlElement[] = [];
  let addLatest: Record<string, unknown> | undefined;
  for (const child of childElements(element)) {
    if (child.name === 'filesSort') {
      children.push({ ...child, name: 'sort', attributes: [], children: [{ ...child, name: 'lexigraphicByName' }] });
    } else if (child.name === 'addLatest') {
      addLatest = Object.fromEntries(child.attributes.map((a) => [a.name,
        a.name === 'top' ? a.value.trim() === 'true' : a.name === 'lastModifiedLimit' && /^\d+(\.\d+)?$/.test(a.value.trim()) ? Number(a.value) : a.value]));
    } else if (child.name === 'addID' || child.name === 'addDatasetSize') {
      notes.push(`<${child.name}> is obsolete in TDS 5 (it adds IDs and sizes itself) and is not carried over`);
    } else {
      children.push(child);
    }
  }
  return { element: { ...element, children }, ...(addLatest ? { addLatest } : {}) };
}

/** Scan options in their short forms: `sort: decreasing`, `addLatest: true` or its settings. */
function simplifyScan(options: Record<string, unknown>, addLatest: Record<string, unknown> | undefined): Record<string, unknown> {
  const out = { ...options };
  const sort = out.sort as { lexigraphicByName?: { increasing?: boolean } } | undefined;
  if (sort?.lexigraphicByName?.increasing !== undefined) out.sort = sort.lexigraphicByName.increasing ? 'increasing' : 'decreasing';
  if (addLatest) out.addLatest = Object.keys(addLatest).length > 0 ? addLatest : true;
  return out;
}

function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function stripSlash(path: string): string {
  return path.replace(/^\/+/, '');
}

/** A catalog id from any text: letters, digits, _ . -, starting with a letter or digit. */
export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '').replace(/\.+$/, '').slice(0, 120);
}

function uniqueName(name: string, taken: ReadonlySet<string>, ignoreCase = false): string {
  const key = (n: string) => (ignoreCase ? n.toLowerCase() : n);
  const base = name || 'dataset';
  if (!taken.has(key(base))) return base;
  for (let n = 2; ; n++) if (!taken.has(key(`${base}_${n}`))) return `${base}_${n}`;
}
