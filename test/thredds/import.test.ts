// `steller import thredds` on catalogs the TDS itself ships (fixtures/SOURCE.md): through the
// real CLI, then built again. No dataset, ID, urlPath or service may be lost on the way, and
// the catalogs built from the import must be valid.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCatalog } from '../../core/build.js';
import { loadCatalog } from '../../core/load.js';
import { threddsGenerator } from '../../generators/thredds/index.js';
import { attr, childElements, parseXml, textOf, type XmlElement } from '../../generators/thredds/xml.js';
import { REPO, runCli, tempDir } from '../helpers/cli.js';
import { HAS_SHARED, SHARED } from '../helpers/shared.js';
import { validateWithWasm } from '../helpers/xsd.js';

const FIXTURES = join(REPO, 'test/thredds/fixtures');
const scratch = tempDir('steller-thredds-import-');
afterAll(() => scratch.cleanup());

interface Facts {
  /** Names of every service, compound or not. */
  defined: Set<string>;
  ids: Set<string>;
  urlPaths: Set<string>;
  /** name -> "type base" of simple services. */
  services: Map<string, string>;
  /** dataset ID -> the serviceName written on the dataset element itself. */
  ownServiceNames: Map<string, string>;
}

const KINDS = new Set(['dataset', 'datasetScan', 'featureCollection']);

/** What an importer must keep, read straight from catalog XML (following local catalogRefs). */
function factsOf(files: string[]): Facts {
  const facts: Facts = { defined: new Set(), ids: new Set(), urlPaths: new Set(), services: new Map(), ownServiceNames: new Map() };
  const walk = (element: XmlElement) => {
    if (element.name === 'service') {
      facts.defined.add(attr(element, 'name') ?? '');
      const type = (attr(element, 'serviceType') ?? '').replace(/^fileserver$/i, 'HTTPServer');
      if (type.toLowerCase() !== 'compound') facts.services.set(attr(element, 'name') ?? '', `${type} ${attr(element, 'base')}`);
    }
    if (KINDS.has(element.name)) {
      const id = attr(element, 'ID');
      if (id) facts.ids.add(id);
      const path = attr(element, element.name === 'dataset' ? 'urlPath' : 'path');
      if (path) facts.urlPaths.add(path.replace(/^\/+|\/+$/g, ''));
      // The service a served dataset names itself must survive (when the catalogs define it).
      const own = attr(element, 'serviceName');
      if (id && own && path) facts.ownServiceNames.set(id, own);
    }
    if (element.name === 'access') facts.urlPaths.add((attr(element, 'urlPath') ?? '').replace(/^\/+/, ''));
    for (const child of childElements(element)) walk(child);
  };
  for (const file of files) walk(parseXml(readFileSync(file, 'utf8')));
  return facts;
}

/** The same facts from the catalogs steller builds, with the serviceName each dataset ends up with. */
function builtFacts(documents: string[]): Facts & { serviceOf: Map<string, string> } {
  const facts = { ...factsOf([]), serviceOf: new Map<string, string>() };
  for (const text of documents) {
    const root = parseXml(text);
    const walk = (element: XmlElement) => {
      if (element.name === 'service' && (attr(element, 'serviceType') ?? '') !== 'Compound') facts.services.set(attr(element, 'name') ?? '', `${attr(element, 'serviceType')} ${attr(element, 'base')}`);
      if (KINDS.has(element.name)) {
        const id = attr(element, 'ID') ?? '';
        facts.ids.add(id);
        const path = attr(element, element.name === 'dataset' ? 'urlPath' : 'path');
        if (path) facts.urlPaths.add(path);
        const named = [...childElements(element, 'metadata').flatMap((m) => childElements(m, 'serviceName')), ...childElements(element, 'access')];
        const service = named.map((n) => (n.name === 'access' ? attr(n, 'serviceName') : textOf(n).trim()))[0];
        if (service) facts.serviceOf.set(id, service);
      }
      if (element.name === 'access') facts.urlPaths.add(attr(element, 'urlPath') ?? '');
      for (const child of childElements(element)) walk(child);
    };
    walk(root);
  }
  return facts;
}

const imported = new Map<string, ReturnType<typeof importFixture>>();

/** Imports one fixture through the CLI into a fresh catalog, then builds it in-process (once per fixture). */
function importAndBuild(fixture: string) {
  if (!imported.has(fixture)) imported.set(fixture, importFixture(fixture));
  return imported.get(fixture) as ReturnType<typeof importFixture>;
}

function importFixture(fixture: string) {
  const into = join(scratch.dir, fixture.replace(/[/.]/g, '_'));
  const run = runCli(['import', 'thredds', join(FIXTURES, fixture), '--into', into, '--url', 'https://tds.example.org/thredds/', '--format', 'json']);
  const loaded = loadCatalog(into);
  const tree = loaded.catalog ? renderCatalog(loaded.catalog, loaded.report, { generators: [threddsGenerator] }) : new Map();
  const documents = [...tree.values()].filter((f) => f.path.endsWith('.xml')).map((f) => ({ name: f.path as string, contents: f.content as string }));
  return { run, report: run.status === 0 ? JSON.parse(run.stdout) : undefined, loaded, documents, errors: loaded.report.sorted().filter((d) => d.severity === 'error') };
}

const CASES: { fixture: string; files: string[]; expectedErrors?: string[] }[] = [
  { fixture: 'tds-startup/catalog.xml', files: ['tds-startup/catalog.xml', 'tds-startup/enhancedCatalog.xml'] },
  { fixture: 'TestInherit.1.0.xml', files: ['TestInherit.1.0.xml'] },
  { fixture: 'nestedServices.xml', files: ['nestedServices.xml'] },
  { fixture: 'catalogNestedAgg.xml', files: ['catalogNestedAgg.xml'] },
  // Uses a service "ugrid" defined in another catalog of that server: the import keeps the
  // reference and says so, and the build asks for the definition.
  { fixture: 'catalogFmrc.xml', files: ['catalogFmrc.xml'], expectedErrors: ['thredds-unknown-service'] },
  { fixture: 'catalogGrib5.xml', files: ['catalogGrib5.xml'] },
];

describe('steller import thredds', () => {
  for (const { fixture, files, expectedErrors = [] } of CASES) {
    describe(fixture, () => {
      const original = factsOf(files.map((f) => join(FIXTURES, f)));
      const result = importAndBuild(fixture);

      it('imports (exit 0) and reads every catalog it references locally', () => {
        expect(result.run.status, result.run.stderr).toBe(0);
        expect(result.report.catalogs).toEqual(files.map((f) => f.split('/').pop()));
      });

      it('keeps every ID, urlPath and service in the catalog records', () => {
        const services = result.loaded.catalog ? result.loaded.catalog.datasets.flatMap((d) => d.services.thredds) : [];
        const ids = new Set(services.map((s) => s.dataset_id));
        const paths = new Set(services.flatMap((s) => [s.path, ...((s.options?.access as { urlPath: string }[] | undefined) ?? []).map((a) => a.urlPath)]));
        expect([...original.ids].filter((id) => !ids.has(id))).toEqual([]);
        expect([...original.urlPaths].filter((p) => !paths.has(p))).toEqual([]);
        const custom = result.loaded.catalog?.project.servers.thredds?.thredds.custom_services ?? {};
        for (const [name, definition] of original.services) expect(`${custom[name]?.type} ${custom[name]?.base}`, name).toBe(definition);
      });

      it(`builds again${expectedErrors.length ? ` (with only ${expectedErrors.join(', ')})` : ' without errors'}, and nothing is lost on the round trip`, () => {
        expect(result.errors.map((d) => d.code)).toEqual(expectedErrors);
        if (expectedErrors.length > 0) return;
        const built = builtFacts(result.documents.map((d) => d.contents));
        expect([...original.ids].filter((id) => !built.ids.has(id))).toEqual([]);
        expect([...original.urlPaths].filter((p) => !built.urlPaths.has(p))).toEqual([]);
        for (const [name, definition] of original.services) expect(built.services.get(name), name).toBe(definition);
        for (const [id, service] of original.ownServiceNames) if (original.defined.has(service)) expect(built.serviceOf.get(id), id).toBe(service);
      });

      it.runIf(HAS_SHARED && expectedErrors.length === 0)('builds catalogs valid against InvCatalog 1.3', async () => {
        const validation = await validateWithWasm(join(SHARED, 'refs/thredds/InvCatalog.1.3.xsd'), result.documents);
        expect(validation.errors).toEqual([]);
      });
    });
  }

  it('carries inherited metadata into each dataset, and reports what it cannot carry', () => {
    const { report, loaded } = importAndBuild('TestInherit.1.0.xml');
    const byId = new Map(loaded.catalog!.datasets.map((d) => [d.services.thredds[0].dataset_id, d]));
    const co2 = byId.get('nest11')!;
    expect(co2.attributes.naming_authority).toBe('divine');
    expect(co2.services.thredds[0]).toMatchObject({ path: 'flux/CO2.nc', services: ['ACD'], data_type: 'Grid', data_format: 'NcML' });
    // NO2's own serviceName attribute wins over the inherited <serviceName>.
    expect(byId.get('nest12')!.services.thredds[0]).toMatchObject({ services: ['local'], data_type: 'Image' });
    const notes = report.datasets.flatMap((d: { ID: string; notes: { message: string }[] }) => d.notes.map((n) => `${d.ID}: ${n.message}`));
    expect(notes).toContain('nest11: <property> is not carried over');
    expect(report.notes.map((n: { message: string }) => n.message)).toEqual([]);
  });

  it('keeps an NcML aggregation as it was', () => {
    const { documents } = importAndBuild('catalogNestedAgg.xml');
    const group = documents.map((d) => d.contents).join('');
    expect(group).toContain('<netcdf xmlns="http://www.unidata.ucar.edu/namespaces/netcdf/ncml-2.2">');
    expect(group).toContain('<aggregation dimName="agg1" type="joinNew">');
    expect(group).toContain('location="content/testdata/2004050412_eta_211.nc"');
  });

  it('keeps an unfollowed relative catalogRef as a link to the server', () => {
    const into = join(scratch.dir, 'dangling');
    const catalog = join(into, 'input.xml');
    const text = readFileSync(join(FIXTURES, 'tds-startup/catalog.xml'), 'utf8').replace('enhancedCatalog.xml', 'missing/catalog.xml');
    mkdirSync(dirname(catalog), { recursive: true });
    writeFileSync(catalog, text);
    const run = runCli(['import', 'thredds', catalog, '--into', join(into, 'out'), '--url', 'https://tds.example.org/thredds/']);
    expect(run.status, run.stderr).toBe(0);
    const loaded = loadCatalog(join(into, 'out'));
    const ref = loaded.catalog!.datasets.flatMap((d) => d.services.thredds).find((s) => s.options?.catalogRef);
    expect(ref?.options?.catalogRef).toEqual({ href: 'https://tds.example.org/thredds/catalog/missing/catalog.xml', title: 'Test Enhanced Catalog' });
    expect(run.stderr).toContain('kept as a link to https://tds.example.org/thredds/catalog/missing/catalog.xml');
  });

  it('refuses a file that is not a well-formed THREDDS catalog, at its line', () => {
    const into = join(scratch.dir, 'bad');
    mkdirSync(into, { recursive: true });
    writeFileSync(join(into, 'bad.xml'), '<catalog xmlns="http://www.unidata.ucar.edu/namespaces/thredds/InvCatalog/v1.0">\n<dataset name="a">\n</catalog>\n');
    const run = runCli(['import', 'thredds', join(into, 'bad.xml'), '--into', join(into, 'out')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^bad\.xml:3: not well-formed XML/m);
  });
});
