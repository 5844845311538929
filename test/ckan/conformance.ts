// The conformance suite for the CKAN files of one catalog, each judged by
// what reads it: data.json by the Project Open Data 1.1 schema and the data.json harvester's own
// schemas, DCAT by two RDF parsers that must agree, ISO records by the NGDC ISO 19139 XSD that
// IOOS validates with, package dicts by CKAN's validators, and every ERDDAP/THREDDS link by the
// catalog's own services.
import { beforeAll, describe, expect, it } from 'vitest';
import { isCkanUrl, isPortableEmail, PACKAGE_ROOT_KEYS, packageNameProblem, tagProblem } from '../../generators/ckan/ckan-rules.js';
import type { Catalog } from '../../schemas/catalog.js';
import { HAS_SHARED } from '../helpers/shared.js';
import { danglingLinkJudge, DCAT, DCT, graphIndex, jsonLdTriples, ngdcProblems, podJudge, RDF_TYPE, readIso, turtleTriples, type IsoSummary, type Triple } from './judges.js';
import { renderCkan, serverFiles } from './render.js';

interface ServerOutput {
  files: Map<string, string>;
  /** ISO records parsed once (a sample of them in the large catalog) and shared by the tests that read them. */
  iso: Map<string, IsoSummary>;
  jsonLd: Promise<Set<Triple>>;
}

interface Rendered {
  catalog: Catalog;
  servers: Map<string, ServerOutput>;
}

/** Every ISO record is XSD-validated; `isoSample` of them (every n-th) are also parsed for their content. */
function render(dir: string, isoSample: number): Rendered {
  const { catalog, files } = renderCkan(dir);
  const servers = new Map<string, ServerOutput>();
  for (const key of Object.keys(catalog.project.servers.ckan ?? {})) {
    const own = serverFiles(files, key);
    const records = [...own].filter(([p]) => p.startsWith('iso19115/') && p.endsWith('.xml'));
    const iso = new Map(records.filter((_, i) => i % isoSample === 0).map(([p, xml]) => [p, readIso(xml)]));
    servers.set(key, { files: own, iso, jsonLd: jsonLdTriples(own.get('catalog.jsonld') ?? '') });
  }
  return { catalog, servers };
}

/**
 * Ids of the datasets each format must describe once on `server`: those with a ckan service
 * there and something to link to (an active ERDDAP dataset or a THREDDS one).
 */
function expectedIds(catalog: Catalog, server: string): string[] {
  return catalog.datasets
    .filter((d) => d.services.ckan.some((s) => s.server_key === server))
    .filter((d) => d.services.erddap.some((s) => s.active !== false) || d.services.thredds.length > 0)
    .map((d) => d.id);
}

/**
 * Judges the CKAN files of the catalog `catalogDir()` gives (called once, before the tests):
 * every ISO record is XSD-validated, and every `isoSample`-th is also parsed for its content.
 */
export function describeCkanConformance(label: string, catalogDir: () => string, isoSample: number): void {
  describe(`CKAN records of ${label}`, () => suite(catalogDir, isoSample));
}

function suite(catalogDir: () => string, isoSample: number): void {
  let rendered: Rendered;
  beforeAll(() => {
    rendered = render(catalogDir(), isoSample);
  });

  it('has files for every CKAN server, one record per dataset with a ckan service', () => {
    for (const [server, { files }] of rendered.servers) {
      const ids = expectedIds(rendered.catalog, server);
      expect(ids.length).toBeGreaterThan(0);
      const iso = [...files.keys()].filter((p) => p.startsWith('iso19115/') && p.endsWith('.xml'));
      expect(iso.sort()).toEqual(ids.map((id) => `iso19115/${id}.xml`).sort());
      expect([...files.keys()].filter((p) => p.startsWith('packages/'))).toHaveLength(ids.length);
      for (const name of ['catalog.ttl', 'catalog.jsonld', 'data.json', 'iso19115/index.html']) expect(files.has(name), name).toBe(true);
    }
  });

  it.skipIf(HAS_SHARED)('data.json against the POD 1.1 schemas: skipped, ../shared/refs is absent', () => {});

  it.runIf(HAS_SHARED)('data.json is valid Project Open Data 1.1, and every dataset passes the data.json harvester\'s schemas', () => {
    const judge = podJudge();
    for (const [server, { files }] of rendered.servers) {
      const document = JSON.parse(files.get('data.json') ?? '');
      expect(document.conformsTo).toBe('https://project-open-data.cio.gov/v1.1/schema');
      expect(judge.catalog(document)).toEqual([]);
      expect(document.dataset).toHaveLength(expectedIds(rendered.catalog, server).length);
      for (const dataset of document.dataset) expect(judge.harvesterDataset(dataset), dataset.identifier).toEqual([]);
    }
  });

  it('catalog.ttl and catalog.jsonld are the same RDF graph: one titled dcat:Dataset with distributions per record', async () => {
    for (const [server, { files, jsonLd }] of rendered.servers) {
      const turtle = turtleTriples(files.get('catalog.ttl') ?? '');
      const fromJsonLd = await jsonLd;
      expect(fromJsonLd.size).toBe(turtle.size);
      expect([...fromJsonLd].filter((t) => !turtle.has(t))).toEqual([]);

      const graph = graphIndex(turtle);
      const datasets = [...graph].filter(([, p]) => p.get(RDF_TYPE)?.includes(`${DCAT}Dataset`));
      expect(datasets).toHaveLength(expectedIds(rendered.catalog, server).length);
      const catalogs = [...graph].filter(([, p]) => p.get(RDF_TYPE)?.includes(`${DCAT}Catalog`));
      expect(catalogs).toHaveLength(1);
      expect(new Set(catalogs[0][1].get(`${DCAT}dataset`))).toEqual(new Set(datasets.map(([iri]) => iri)));
      for (const [iri, properties] of datasets) {
        expect(properties.get(`${DCT}title`), iri).toHaveLength(1);
        expect(properties.get(`${DCT}identifier`), iri).toEqual([iri]);
        const distributions = properties.get(`${DCAT}distribution`) ?? [];
        expect(distributions.length, iri).toBeGreaterThan(0);
        for (const d of distributions) expect(graph.get(d)?.get(`${DCAT}accessURL`), d).toHaveLength(1);
      }
    }
  });

  it('ISO records are gmi:MI_Metadata valid against the NGDC ISO 19139 schema, with title, abstract, keywords and links', async () => {
    for (const [, { files, iso: summaries }] of rendered.servers) {
      const records = [...files].filter(([p]) => p.startsWith('iso19115/') && p.endsWith('.xml'));
      expect(await ngdcProblems(records.map(([fileName, contents]) => ({ fileName: fileName.slice('iso19115/'.length), contents })))).toEqual([]);
      const index = files.get('iso19115/index.html') ?? '';
      for (const [path, iso] of summaries) {
        const id = path.slice('iso19115/'.length, -'.xml'.length);
        const dataset = rendered.catalog.datasets.find((d) => d.id === id);
        expect(iso.root).toBe('{http://www.isotc211.org/2005/gmi}MI_Metadata');
        expect(iso.title).toBe(dataset?.title);
        expect(iso.abstract.length, path).toBeGreaterThan(0);
        expect(iso.keywords.length, path).toBeGreaterThan(0);
        expect(iso.urls.length, path).toBeGreaterThan(0);
        expect(index).toContain(`href="${encodeURIComponent(`${id}.xml`)}"`);
      }
    }
  });

  it('package dicts pass CKAN\'s name, tag, URL and e-mail validators and use only package schema keys', () => {
    for (const [server, { files }] of rendered.servers) {
      const names = new Set<string>();
      for (const [path, text] of files) {
        if (!path.startsWith('packages/')) continue;
        const dict = JSON.parse(text);
        expect(`packages/${dict.name}.json`).toBe(path);
        expect(packageNameProblem(dict.name), dict.name).toBeUndefined();
        expect(names.has(dict.name)).toBe(false);
        names.add(dict.name);
        expect(dict.owner_org).toBe(rendered.catalog.project.servers.ckan?.[server].organization);
        expect(Object.keys(dict).filter((k) => !PACKAGE_ROOT_KEYS.has(k))).toEqual([]);
        expect(dict.tags.length).toBeGreaterThan(0);
        for (const { name } of dict.tags) {
          expect(tagProblem(name), name).toBeUndefined();
          expect(name).not.toContain('_');
        }
        for (const url of [dict.url, ...dict.resources.map((r: { url: string }) => r.url)].filter(Boolean)) expect(isCkanUrl(url), url).toBe(true);
        for (const email of [dict.author_email, dict.maintainer_email].filter(Boolean)) expect(isPortableEmail(email), email).toBe(true);
        const keys = dict.extras.map((e: { key: string }) => e.key);
        expect(new Set(keys).size).toBe(keys.length);
        for (const extra of dict.extras) {
          expect(typeof extra.value).toBe('string');
          expect(PACKAGE_ROOT_KEYS.has(extra.key)).toBe(false);
        }
      }
    }
  });

  it('every ERDDAP and THREDDS URL in every format names a dataset this build publishes on that server', async () => {
    const dangling = danglingLinkJudge(rendered.catalog);
    for (const [, { files, iso, jsonLd }] of rendered.servers) {
      const urls = new Set<string>();
      for (const summary of iso.values()) for (const url of summary.urls) urls.add(url);
      for (const [path, text] of files) {
        if (path.startsWith('packages/')) for (const resource of JSON.parse(text).resources) urls.add(resource.url);
      }
      for (const dataset of JSON.parse(files.get('data.json') ?? '').dataset) {
        for (const d of dataset.distribution) urls.add(d.downloadURL ?? d.accessURL);
      }
      for (const [, properties] of graphIndex(await jsonLd)) {
        for (const url of [...(properties.get(`${DCAT}accessURL`) ?? []), ...(properties.get(`${DCAT}downloadURL`) ?? [])]) urls.add(url);
      }
      expect([...urls].map(dangling).filter((problem) => problem !== undefined)).toEqual([]);
    }
  });
}
