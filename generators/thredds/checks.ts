// Checks on one dataset element and everything nested in it, the same for built-in and
// template-rendered datasets: what is wrong inside it is reported at once, and the facts the
// cross-dataset checks need (IDs, paths, service names, catalogRef links) are collected.
import { didYouMean } from '../../core/suggest.js';
import { FEATURE_TYPES } from './options.js';
import { attr, childElements, textOf, THREDDS_NS, XLINK_NS, type XmlElement } from './xml.js';

export const DATASET_ELEMENTS: ReadonlySet<string> = new Set(['dataset', 'datasetScan', 'featureCollection', 'catalogRef']);

export interface DatasetFacts {
  ids: string[];
  /** urlPaths of datasets and paths of datasetScans and featureCollections: each is a URL on the server. */
  paths: { path: string; root: boolean }[];
  /** urlPaths of `<access>` elements (may repeat, one per service). */
  accessPaths: string[];
  serviceNames: string[];
  catalogRefs: string[];
}

export type Complain = (code: string, message: string, hint?: string) => void;

export function checkDatasetTree(root: XmlElement, complain: Complain): DatasetFacts {
  const facts: DatasetFacts = { ids: [], paths: [], accessPaths: [], serviceNames: [], catalogRefs: [] };
  visit(root, facts, complain);
  return facts;
}

function visit(element: XmlElement, facts: DatasetFacts, complain: Complain): void {
  if (element.ns !== THREDDS_NS) return;
  const name = element.name;
  if (DATASET_ELEMENTS.has(name)) checkDatasetElement(element, facts, complain);
  if (name === 'service' || name === 'datasetRoot') {
    complain('thredds-misplaced-element', `<${name}> inside a dataset: TDS 5 only reads it as a direct child of <catalog>`,
      name === 'service' ? 'define services in steller.yaml (servers.thredds.<key>.custom_services)' : 'use servers.thredds.<key>.data_roots');
    return;
  }
  if (name === 'serviceName') facts.serviceNames.push(textOf(element).trim());
  if (name === 'access') {
    const service = attr(element, 'serviceName');
    if (service !== undefined) facts.serviceNames.push(service);
    const urlPath = attr(element, 'urlPath');
    if (urlPath === undefined) complain('thredds-missing-attribute', '<access> needs a urlPath');
    else if (checkRelativePath(urlPath, 'access urlPath', complain)) facts.accessPaths.push(urlPath);
  }
  for (const child of childElements(element)) visit(child, facts, complain);
}

function checkDatasetElement(element: XmlElement, facts: DatasetFacts, complain: Complain): void {
  const kind = element.name;
  if (attr(element, 'id') !== undefined) {
    complain('thredds-lowercase-id', `<${kind}> has an "id" attribute; THREDDS reads only "ID" (capitalised) and ignores "id"`, 'write ID="…"');
  }
  if (attr(element, 'name') === undefined) complain('thredds-missing-attribute', `<${kind}> needs a name attribute (the InvCatalog schema requires it)`, 'e.g. name="{{ dataset.title }}"');
  const id = attr(element, 'ID');
  if (id !== undefined) {
    if (id !== id.trim() || /\s{2}|[\t\n\r]/.test(id) || id === '') {
      complain('thredds-bad-id', `ID "${id}" is not a token (leading, trailing or repeated white space changes it)`, 'use letters, digits, _ . / -');
    } else if (!/^[A-Za-z0-9_./-]+$/.test(id)) {
      facts.ids.push(id);
      complain('thredds-id-not-url-safe', `ID "${id}" is part of dataset URLs (catalog.html?dataset=…); characters other than letters, digits, _ . / - need escaping`);
    } else {
      facts.ids.push(id);
    }
  }
  const serviceName = attr(element, 'serviceName');
  if (serviceName !== undefined) facts.serviceNames.push(serviceName);
  if (kind === 'dataset') {
    const urlPath = attr(element, 'urlPath');
    if (urlPath !== undefined && checkRelativePath(urlPath, 'urlPath', complain)) facts.paths.push({ path: urlPath, root: false });
  }
  if (kind === 'datasetScan' || kind === 'featureCollection') {
    const path = attr(element, 'path');
    if (path === undefined) complain('thredds-missing-attribute', `<${kind}> needs a path`);
    else if (checkRelativePath(path, `${kind} path`, complain)) facts.paths.push({ path: path.replace(/^\/+|\/+$/g, ''), root: true });
  }
  if (kind === 'featureCollection') checkFeatureType(attr(element, 'featureType'), complain);
  if (kind === 'catalogRef') {
    const href = attr(element, 'href', XLINK_NS);
    if (href === undefined) complain('thredds-missing-attribute', '<catalogRef> needs xlink:href');
    else facts.catalogRefs.push(href);
  }
}

export function checkFeatureType(featureType: string | undefined, complain: Complain): void {
  if (featureType === undefined) {
    complain('thredds-bad-feature-type', 'a featureCollection needs a featureType', `one of ${FEATURE_TYPES.join(', ')}`);
    return;
  }
  if ((FEATURE_TYPES as readonly string[]).includes(featureType)) return;
  const sameIgnoringCase = FEATURE_TYPES.find((t) => t.toLowerCase() === featureType.toLowerCase());
  if (sameIgnoringCase) {
    complain('thredds-bad-feature-type', `featureType "${featureType}" must be written "${sameIgnoringCase}": the TDS reads it case-sensitively and skips the collection`, `write ${sameIgnoringCase}`);
  } else {
    const suggestion = didYouMean(featureType, [...FEATURE_TYPES]);
    complain('thredds-bad-feature-type', `featureType "${featureType}" is not one the TDS knows`, suggestion ? `did you mean '${suggestion}'?` : `one of ${FEATURE_TYPES.join(', ')}`);
  }
}

/** urlPaths are appended to a service base that already ends in "/", and are schema tokens. */
export function checkRelativePath(path: string, what: string, complain: Complain): boolean {
  if (path.trim() === '') {
    complain('thredds-bad-url-path', `${what} is empty`);
    return false;
  }
  if (path.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(path) || path.split('/').includes('..')) {
    complain('thredds-bad-url-path', `${what} "${path}" must be relative, without a leading /, a scheme or ..`, 'e.g. ports/PORTS_CC_realtime');
    return false;
  }
  if (path !== path.trim() || /\s{2}|[\t\n\r]/.test(path)) {
    complain('thredds-bad-url-path', `${what} "${path}" has leading, trailing or repeated white space, which the schema's token type removes`);
    return false;
  }
  return true;
}
