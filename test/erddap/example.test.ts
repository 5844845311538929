// The example catalog's datasets.xml, judged from outside: the exact first line, ASCII only, the
// datasets sorted by datasetID, well-formed for a strict XML parser, and clean for the judge
// built from ERDDAP's source. And the hostile title, in a built-in rendering and in a template.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCatalog } from '../../core/build.js';
import { loadCatalog } from '../../core/load.js';
import { erddapGenerator } from '../../generators/erddap/index.js';
import { loadExample } from '../helpers/catalog.js';
import { copyExampleCatalog, tempDir } from '../helpers/cli.js';
import { judgeDatasetsXml } from './judge.js';
import { meaningOf } from './semantic.js';

const HOSTILE = 'Cape & Islands <buoy> ]]> {{ 7*7 }}';

function erddapFiles(root?: string) {
  const loaded = root ? loadCatalog(root) : loadExample();
  if (!loaded.catalog) throw new Error(`catalog does not load: ${JSON.stringify(loaded.report.sorted())}`);
  const tree = renderCatalog(loaded.catalog as NonNullable<typeof loaded.catalog>, loaded.report, { generators: [erddapGenerator] });
  return { tree, diagnostics: loaded.report.sorted() };
}

describe('the example catalog\'s datasets.xml', () => {
  const { tree, diagnostics } = erddapFiles();
  const xml = tree.get('erddap/data/datasets.xml')?.content ?? '';

  it('is written for the one ERDDAP server, with no ERDDAP errors', () => {
    expect([...tree.keys()].filter((p) => p.startsWith('erddap/'))).toEqual(['erddap/data/datasets.xml']);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('starts with exactly the XML declaration and is ASCII only', () => {
    expect(xml.split('\n')[0]).toBe('<?xml version="1.0" encoding="UTF-8"?>');
    expect(xml.charCodeAt(0)).toBe(0x3c); // no BOM
    expect(/[^\x00-\x7f]/.test(xml)).toBe(false);
    expect(xml).not.toMatch(/<!DOCTYPE/);
  });

  it('holds every ERDDAP service of the catalog once, sorted by datasetID', () => {
    const ids = [...xml.matchAll(/^<dataset type="[^"]+" datasetID="([^"]+)"/gm)].map((m) => m[1]);
    const { catalog } = loadExample();
    const expected = catalog.datasets.flatMap((d) => d.services.erddap.map((s) => s.dataset_id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(ids).toEqual(expected);
  });

  it('passes the judge built from ERDDAP\'s source (tags per class, required attributes, vocabularies)', () => {
    expect(judgeDatasetsXml(xml)).toEqual([]);
  });

  it('writes the server settings of steller.yaml at the top', () => {
    const meaning = meaningOf(xml);
    expect(meaning.settings).toContain('<convertToPublicSourceUrl from="http://10.0.0.12:8080/thredds/" to="https://data.neracoos.org/thredds/">""');
    expect(meaning.settings).toContain('<cacheMinutes>"60"');
  });

  it('renders the PORTS template, re-indented like the built-in datasets', () => {
    const ports = xml.slice(xml.indexOf('datasetID="PORTS_CC_realtime"'));
    expect(ports).toMatch(/^datasetID="PORTS_CC_realtime" active="true">\n {4}<reloadEveryNMinutes>10<\/reloadEveryNMinutes>\n/);
    expect(meaningOf(xml).datasets.get('PORTS_CC_realtime')?.attributes.title).toBe('string:NOS CO-OPS Currents Data, Cape Cod Canal, West End, 6-Minute');
  });

  it('is the same on every build', () => {
    expect(erddapFiles().tree.get('erddap/data/datasets.xml')?.content).toBe(xml);
  });
});

describe('the hostile title', () => {
  const scratch = tempDir('steller-erddap-hostile-');
  afterAll(() => scratch.cleanup());
  const root = copyExampleCatalog(scratch.dir);
  // A01_met renders built in, PORTS_CC_realtime through its Jinja template.
  for (const file of ['datasets/buoys/A01_met.yaml', 'datasets/ports/PORTS_CC_realtime.yaml']) {
    const path = join(root, file);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^title: .*$/m, `title: ${JSON.stringify(HOSTILE)}`));
  }
  const xml = erddapFiles(root).tree.get('erddap/data/datasets.xml')?.content ?? '';

  it('comes out literally, escaped, in a built-in rendering and in a template, and the file stays well-formed', () => {
    const meaning = meaningOf(xml);
    for (const id of ['A01_met', 'PORTS_CC_realtime']) expect(meaning.datasets.get(id)?.attributes.title).toBe(`string:${HOSTILE}`);
    expect(xml.split('Cape &amp; Islands &lt;buoy&gt; ]]&gt; {{ 7*7 }}').length).toBe(3);
    expect(xml).not.toMatch(/Cape[^<]*49/);
    expect(judgeDatasetsXml(xml)).toEqual([]);
  });
});
