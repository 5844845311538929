// What a data manager sees of the CKAN outputs: identifiers that survive a file rename, catalog
// text that arrives literally in every format, and mistakes reported at their line.
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CATALOG, runCli, tempDir } from '../helpers/cli.js';
import { MINIMAL_DATASET, MINIMAL_PROJECT, writeCatalog } from '../helpers/write-catalog.js';
import { DCAT, DCT, graphIndex, jsonLdTriples, readIso, turtleTriples } from './judges.js';
import { renderCkan, serverFiles } from './render.js';

const scratch = tempDir('steller-ckan-records-');
afterAll(() => scratch.cleanup());

let counter = 0;
function catalogWith(files: Record<string, string>, project = MINIMAL_PROJECT): string {
  return writeCatalog(join(scratch.dir, `c${counter++}`), { 'steller.yaml': project, ...files });
}

const WITH_CKAN = `${MINIMAL_DATASET}  ckan:\n    - server: catalog\n`;

/** The identifiers a harvester keys on, in every format, for the only dataset of a catalog. */
async function identifiers(dir: string) {
  const files = serverFiles(renderCkan(dir).files, 'catalog');
  const packages = [...files.keys()].filter((p) => p.startsWith('packages/'));
  const iso = [...files].filter(([p]) => p.endsWith('.xml')).map(([, xml]) => readIso(xml).fileIdentifier);
  const graph = graphIndex(await jsonLdTriples(files.get('catalog.jsonld') ?? ''));
  const datasets = [...graph].filter(([, p]) => p.get('http://www.w3.org/1999/02/22-rdf-syntax-ns#type')?.includes(`${DCAT}Dataset`));
  return {
    packages,
    iso,
    dcat: datasets.map(([iri, p]) => [iri, p.get(`${DCT}identifier`)]),
    dataJson: JSON.parse(files.get('data.json') ?? '').dataset.map((d: { identifier: string }) => d.identifier),
  };
}

describe('stable identifiers', () => {
  it('renaming or moving a dataset file with an `id:` keeps its CKAN name, DCAT identifier and ISO fileIdentifier', async () => {
    const dir = catalogWith({ 'datasets/buoys/buoy_a.yaml': `id: Buoy.A\n${WITH_CKAN}` });
    const before = await identifiers(dir);
    mkdirSync(join(dir, 'datasets/moved'), { recursive: true });
    renameSync(join(dir, 'datasets/buoys/buoy_a.yaml'), join(dir, 'datasets/moved/renamed.yaml'));
    const after = await identifiers(dir);
    expect(after).toEqual(before);
    expect(before.packages).toEqual([expect.stringMatching(/^packages\/buoy-a-[0-9a-f]{8}\.json$/)]);
    expect(before.iso).toEqual([expect.stringMatching(/^https:\/\/catalog\.example\.org\/dataset\/buoy-a-[0-9a-f]{8}$/)]);
    expect(before.dataJson).toEqual(before.iso);
    expect(before.dcat).toEqual([[before.iso[0], before.iso]]);
  });
});

describe('catalog text reaches every format literally', () => {
  const hostile = 'Cape & Islands <buoy> ]]> {{ 7*7 }} "q" \'a\' \\ \n 🌊';
  const dir = catalogWith({ 'datasets/hostile.yaml': WITH_CKAN.replace('title: Buoy A - Temperature', `title: ${JSON.stringify(hostile)}`) });
  const files = serverFiles(renderCkan(dir).files, 'catalog');

  it('in the ISO record, the package dict and data.json', () => {
    expect(readIso(files.get('iso19115/hostile.xml') ?? '').title).toBe(hostile);
    expect(JSON.parse(files.get('packages/hostile.json') ?? '').title).toBe(hostile);
    expect(JSON.parse(files.get('data.json') ?? '').dataset[0].title).toBe(hostile);
  });

  it('in the Turtle and the JSON-LD', async () => {
    for (const triples of [turtleTriples(files.get('catalog.ttl') ?? ''), await jsonLdTriples(files.get('catalog.jsonld') ?? '')]) {
      const titles = [...graphIndex(triples)].flatMap(([, p]) => p.get(`${DCT}title`) ?? []);
      expect(titles).toContain(hostile);
    }
  });
});

describe('problems, reported at their line', () => {
  /** The diagnostics with these codes, as `severity code file:line`. */
  function diagnostics(codes: string[], files: Record<string, string>, project?: string) {
    const { report } = renderCkan(catalogWith(files, project));
    return report.sorted().filter((d) => codes.includes(d.code)).map((d) => `${d.severity} ${d.code} ${d.file}:${d.line}`);
  }

  it('a package name, group or extra CKAN would refuse is an error at its key', () => {
    const dataset = `${MINIMAL_DATASET}  ckan:\n    - server: catalog\n      name: Buoy A\n      groups: [ok-group, "Bad Group"]\n      extras: { title: x, ra_note: fine }\n`;
    expect(diagnostics(['ckan-bad-name', 'ckan-bad-group', 'ckan-reserved-extra'], { 'datasets/a.yaml': dataset })).toEqual([
      'error ckan-bad-name datasets/a.yaml:14',
      'error ckan-bad-group datasets/a.yaml:15',
      'error ckan-reserved-extra datasets/a.yaml:16',
    ]);
  });

  it('two datasets given the same package name: the second is an error', () => {
    const named = `${MINIMAL_DATASET}  ckan:\n    - { server: catalog, name: same-name }\n`;
    expect(diagnostics(['ckan-duplicate-name'], { 'datasets/a.yaml': named, 'datasets/b.yaml': named })).toEqual(['error ckan-duplicate-name datasets/b.yaml:13']);
  });

  it('a dataset with nothing to link to is left out with a warning; odd values are warnings', () => {
    const inactive = WITH_CKAN.replace('type: EDDTableFromNcFiles,', 'type: EDDTableFromNcFiles, active: false,');
    const odd = WITH_CKAN.replace('attributes: {', 'attributes: { creator_email: "not an address", time_coverage_start: yesterday,');
    const codes = ['ckan-no-access', 'ckan-bad-email', 'ckan-bad-date', 'ckan-no-date', 'ckan-no-keywords', 'ckan-no-contact-email'];
    expect(diagnostics(codes, { 'datasets/inactive.yaml': inactive, 'datasets/odd.yaml': odd })).toEqual([
      'warning ckan-no-keywords datasets/inactive.yaml:1',
      'warning ckan-no-contact-email datasets/inactive.yaml:3',
      'warning ckan-no-date datasets/inactive.yaml:3',
      'warning ckan-no-access datasets/inactive.yaml:13',
      'warning ckan-no-keywords datasets/odd.yaml:1',
      'warning ckan-no-contact-email datasets/odd.yaml:3',
      'warning ckan-no-date datasets/odd.yaml:3',
      'warning ckan-bad-email datasets/odd.yaml:3',
      'warning ckan-bad-date datasets/odd.yaml:3',
    ]);
    const files = serverFiles(renderCkan(catalogWith({ 'datasets/inactive.yaml': inactive })).files, 'catalog');
    expect(JSON.parse(files.get('data.json') ?? '').dataset).toEqual([]);
    expect([...files.keys()].sort()).toEqual(['catalog.jsonld', 'catalog.ttl', 'data.json', 'iso19115/index.html']);
  });

  it('a license_id with no known URL is a warning at steller.yaml', () => {
    const project = MINIMAL_PROJECT.replace('organization: testing }', 'organization: testing, license_id: our-own-terms }');
    expect(diagnostics(['ckan-unknown-license'], { 'datasets/a.yaml': WITH_CKAN }, project)).toEqual(['warning ckan-unknown-license steller.yaml:8']);
  });
});

describe('through the command line', () => {
  it('`steller build` writes the same CKAN records as the generator renders in-process', () => {
    const out = join(scratch.dir, 'out');
    const result = runCli(['build', '--catalog', EXAMPLE_CATALOG, '--out', out]);
    expect(result.status, result.stderr).toBe(0);
    const files = serverFiles(renderCkan(EXAMPLE_CATALOG).files, 'catalog');
    expect(files.size).toBeGreaterThan(4);
    for (const [path, content] of files) expect(readFileSync(join(out, 'ckan/catalog', path), 'utf8'), path).toBe(content);
  });
});
