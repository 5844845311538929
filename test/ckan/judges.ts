// Outside judges for the CKAN files: the harvesters' own schemas (POD 1.1 and ckanext-datajson's,
// read from ../shared/refs), RDF parsers (n3 for Turtle, jsonld for JSON-LD), the NGDC ISO 19139
// XSD (vendored in fixtures/) and, for links, the catalog model itself. None of them imports the
// generator's code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormatsMod from 'ajv-formats';
import jsonld from 'jsonld';
import { Parser } from 'n3';
import { validateXML } from 'xmllint-wasm';
import { create } from 'xmlbuilder2';
import type { Catalog } from '../../schemas/catalog.js';
import { SHARED } from '../helpers/shared.js';

const addFormats = addFormatsMod.default;

export interface SchemaJudge {
  catalog(document: unknown): string[];
  /** The data.json harvester validates each dataset on its own, against its federal and non-federal variants. */
  harvesterDataset(dataset: unknown): string[];
}

export function podJudge(): SchemaJudge {
  const pod = join(SHARED, 'refs/ckan/pod-v1.1');
  const harvester = join(SHARED, 'refs/ckan/ckanext-datajson-pod_schema');
  // POD's patterns escape characters (\_ \~) that only non-Unicode regular expressions accept.
  const ajv = new Ajv04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  for (const file of ['vcard', 'organization', 'distribution', 'dataset', 'catalog']) ajv.addSchema(readJson(join(pod, `${file}.json`)) as object);
  const catalog = ajv.getSchema('https://project-open-data.cio.gov/v1.1/schema/catalog.json#');
  // Each harvester variant inlines its definitions and reuses the POD ids: a fresh Ajv each.
  const variants = ['federal-v1.1/dataset.json', 'non-federal-v1.1/dataset-non-federal.json'].map((file) => {
    const own = new Ajv04.default({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(own);
    return own.compile(readJson(join(harvester, file)) as object);
  });
  if (!catalog) throw new Error('POD catalog schema did not compile');
  const messages = (errors: { instancePath: string; message?: string }[] | null | undefined) => (errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  return {
    catalog: (document) => (catalog(document) ? [] : messages(catalog.errors)),
    harvesterDataset: (dataset) => variants.flatMap((validate) => (validate(dataset) ? [] : messages(validate.errors))),
  };
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export type Triple = string;

interface RdfTerm {
  termType: string;
  value: string;
  datatype?: { value: string };
  language?: string;
}

function tripleKey(q: { subject: RdfTerm; predicate: RdfTerm; object: RdfTerm }): Triple {
  return [q.subject, q.predicate, q.object].map((t) => `${t.termType}|${t.value}|${t.datatype?.value ?? ''}|${t.language ?? ''}`).join(' ');
}

export function turtleTriples(text: string): Set<Triple> {
  return new Set(new Parser({ format: 'text/turtle' }).parse(text).map(tripleKey));
}

/** Expands the JSON-LD with the jsonld library, then turns it into RDF. */
export async function jsonLdTriples(text: string): Promise<Set<Triple>> {
  const expanded = await jsonld.expand(JSON.parse(text));
  const quads = (await jsonld.toRDF(expanded)) as unknown as { subject: RdfTerm; predicate: RdfTerm; object: RdfTerm }[];
  return new Set(quads.map(tripleKey));
}

export const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
export const DCAT = 'http://www.w3.org/ns/dcat#';
export const DCT = 'http://purl.org/dc/terms/';

/** Subject → predicate → objects, from triple keys (named-node subjects only, which is all steller writes). */
export function graphIndex(triples: Iterable<Triple>): Map<string, Map<string, string[]>> {
  const index = new Map<string, Map<string, string[]>>();
  for (const triple of triples) {
    const [s, p, ...o] = triple.split(' ');
    const subject = s.split('|')[1];
    const predicate = p.split('|')[1];
    const object = o.join(' ').split('|')[1];
    const bySubject = index.get(subject) ?? new Map<string, string[]>();
    index.set(subject, bySubject);
    bySubject.set(predicate, [...(bySubject.get(predicate) ?? []), object]);
  }
  return index;
}

const NGDC_DIR = join(import.meta.dirname, 'fixtures/iso19139ngdc');

function ngdcSchemaFiles(): { fileName: string; contents: string }[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.xsd')) files.push(path);
    }
  };
  walk(NGDC_DIR);
  return files.map((path) => ({ fileName: relative(NGDC_DIR, path), contents: readFileSync(path, 'utf8') }));
}

/** XSD problems of each document against the NGDC ISO 19139 schema ckanext-spatial's iso19139ngdc profile uses. */
export async function ngdcProblems(documents: { fileName: string; contents: string }[]): Promise<string[]> {
  const schema = ngdcSchemaFiles();
  const root = schema.find((f) => f.fileName === 'schema.xsd');
  if (!root) throw new Error('fixtures/iso19139ngdc/schema.xsd is missing');
  const problems: string[] = [];
  // xmllint-wasm runs out of its memory with a few thousand documents at once; 500 a call also
  // compiles the schema only a few times.
  for (let i = 0; i < documents.length; i += 500) {
    const result = await validateXML({ xml: documents.slice(i, i + 500), schema: root, preload: schema.filter((f) => f !== root), maxMemoryPages: 32_768 });
    problems.push(...result.errors.map((e) => e.rawMessage));
  }
  return problems;
}

const GMD = 'http://www.isotc211.org/2005/gmd';

/** The part of the DOM xmlbuilder2 implements that these checks use (tsconfig has no DOM lib). */
interface DomNode {
  getElementsByTagNameNS(namespace: string, localName: string): Iterable<DomNode>;
  textContent: string | null;
  documentElement: { namespaceURI: string | null; localName: string };
}
const GCO = 'http://www.isotc211.org/2005/gco';

export interface IsoSummary {
  root: string;
  title: string;
  abstract: string;
  keywords: string[];
  urls: string[];
  fileIdentifier: string;
}

/** Parses an ISO record (xmlbuilder2's DOM) and reads what a harvester reads from it. */
export function readIso(xml: string): IsoSummary {
  const dom = create(xml).node as unknown as DomNode;
  const texts = (parent: DomNode, ns: string, name: string) => [...parent.getElementsByTagNameNS(ns, name)].map((e) => e.textContent ?? '');
  const charsOf = (name: string) => [...dom.getElementsByTagNameNS(GMD, name)].map((e) => texts(e, GCO, 'CharacterString')[0] ?? '');
  const root = dom.documentElement;
  return {
    root: `{${root.namespaceURI}}${root.localName}`,
    title: charsOf('title')[0] ?? '',
    abstract: charsOf('abstract')[0] ?? '',
    keywords: charsOf('keyword'),
    urls: texts(dom, GMD, 'URL'),
    fileIdentifier: charsOf('fileIdentifier')[0] ?? '',
  };
}

/**
 * Says why a URL on one of the catalog's ERDDAP or THREDDS servers names nothing this build
 * publishes there (or undefined when it does, or when it is on no such server), from the
 * normalized services alone: active ERDDAP datasets by protocol, THREDDS paths and catalog entries.
 */
export function danglingLinkJudge(catalog: Catalog): (url: string) => string | undefined {
  const slash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
  const erddap = Object.entries(catalog.project.servers.erddap ?? {}).map(([key, server]) => ({ key, base: slash(server.url), ids: new Map<string, string>() }));
  const thredds = Object.entries(catalog.project.servers.thredds ?? {}).map(([key, server]) => ({ key, base: slash(server.url), files: new Set<string>(), entries: new Set<string>() }));
  for (const dataset of catalog.datasets) {
    for (const s of dataset.services.erddap) if (s.active !== false) erddap.find((e) => e.key === s.server_key)?.ids.set(s.dataset_id, s.protocol);
    for (const s of dataset.services.thredds) {
      const server = thredds.find((t) => t.key === s.server_key);
      server?.entries.add(`${s.group}\0${s.dataset_id}`);
      if (s.options?.datasetScan === undefined && s.options?.featureCollection === undefined) server?.files.add(s.path);
    }
  }
  return (url) => {
    for (const server of erddap) {
      if (!url.startsWith(server.base)) continue;
      const rest = url.slice(server.base.length);
      const data = /^(tabledap|griddap)\/([A-Za-z0-9_]+)\.(html|csv|nc)$/.exec(rest);
      if (data) return server.ids.get(data[2]) === data[1] ? undefined : `ERDDAP ${server.key} publishes no ${data[1]} dataset ${data[2]}`;
      const iso = /^metadata\/iso19115\/xml\/([A-Za-z0-9_]+)_iso19115\.xml$/.exec(rest);
      if (iso) return server.ids.has(iso[1]) ? undefined : `ERDDAP ${server.key} publishes no dataset ${iso[1]}`;
      return `not an ERDDAP dataset URL: ${url}`;
    }
    for (const server of thredds) {
      if (!url.startsWith(server.base)) continue;
      const rest = url.slice(server.base.length);
      const file = /^(dodsC|fileServer|wms)\/([^?]+)(\?.*)?$/.exec(rest);
      if (file) return server.files.has(decodeURIComponent(file[2])) ? undefined : `THREDDS ${server.key} serves no file dataset at ${file[2]}`;
      const entry = /^catalog\/(.+)\/catalog\.html\?dataset=(.+)$/.exec(rest);
      if (entry) return server.entries.has(`${decodeURIComponent(entry[1])}\0${decodeURIComponent(entry[2])}`) ? undefined : `THREDDS ${server.key} has no dataset ${entry[2]} in catalog ${entry[1]}`;
      return `not a THREDDS dataset URL: ${url}`;
    }
    return undefined;
  };
}
