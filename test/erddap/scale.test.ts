// A 2,000-dataset catalog with every common kind of ERDDAP dataset (files, remote ERDDAP, DAP,
// DAP sequences, ASCII, templates, nested datasets, tabledap/griddap defaults, hostile titles,
// inferred ioos_category) builds without errors, the datasets.xml it writes passes the outside
// judge built from ERDDAP's own source tables, and it imports back into a catalog that builds
// a datasets.xml ERDDAP reads the same way.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importErddap } from '../../cli/commands/import-erddap.js';
import { renderCatalog } from '../../core/build.js';
import { loadCatalog } from '../../core/load.js';
import { erddapGenerator } from '../../generators/erddap/index.js';
import { meaningOf } from './semantic.js';
import { judgeDatasetsXml } from './judge.js';
import { tempDir } from '../helpers/cli.js';
import { writeCatalog } from '../helpers/write-catalog.js';
import { syntheticCatalog } from './synthetic.js';

const COUNT = 2000;

describe(`a ${COUNT}-dataset catalog`, () => {
  let dir: string;
  let cleanup: () => void;
  let files: Map<string, string>;
  let errors: unknown[];

  beforeAll(() => {
    ({ dir, cleanup } = tempDir('steller-erddap-scale-'));
    writeCatalog(dir, syntheticCatalog(COUNT));
    const loaded = loadCatalog(dir);
    expect(loaded.report.sorted().filter((d) => d.severity === 'error')).toEqual([]);
    const tree = renderCatalog(loaded.catalog!, loaded.report, { generators: [erddapGenerator] });
    errors = loaded.report.sorted().filter((d) => d.severity === 'error');
    files = new Map([...tree].map(([path, file]) => [path, file.content]));
  });
  afterAll(() => cleanup());

  it('builds with no errors', () => {
    expect(errors).toEqual([]);
  });

  it('writes one datasets.xml per server, every dataset once, sorted by datasetID', () => {
    const main = files.get('erddap/main/datasets.xml') as string;
    const mirror = files.get('erddap/mirror/datasets.xml') as string;
    const ids = [...main.matchAll(/^<dataset type="[^"]+" datasetID="([^"]+)"/gm)].map((m) => m[1]);
    expect(ids.length).toBe(COUNT);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(meaningOf(mirror).datasets.size).toBe(Math.ceil((COUNT - 6) / 12));
  });

  it('passes the judge built from ERDDAP\'s source on every server', () => {
    for (const path of ['erddap/main/datasets.xml', 'erddap/mirror/datasets.xml']) expect(judgeDatasetsXml(files.get(path) as string), path).toEqual([]);
  });

  it('imports back (600 datasets of every kind) into a new catalog that builds a datasets.xml ERDDAP reads the same', () => {
    // The file is the settings and one blank-line-separated fragment per dataset: keep the first 600.
    const [head, ...fragments] = (files.get('erddap/main/datasets.xml') as string).replace('\n</erddapDatasets>\n', '').split('\n\n<dataset ');
    const xml = `${[head, ...fragments.slice(0, 600)].join('\n\n<dataset ')}\n</erddapDatasets>\n`;
    writeFileSync(join(dir, 'main.xml'), xml);
    const summary = importErddap(join(dir, 'main.xml'), { into: join(dir, 'imported'), server: 'main' });
    expect(summary.ok && summary.written.length).toBe(600);
    const loaded = loadCatalog(join(dir, 'imported'));
    expect(loaded.report.sorted().filter((d) => d.severity === 'error')).toEqual([]);
    const again = renderCatalog(loaded.catalog!, loaded.report, { generators: [erddapGenerator] }).get('erddap/main/datasets.xml')?.content as string;
    const [before, after] = [meaningOf(xml), meaningOf(again)];
    expect(after.settings).toEqual(before.settings);
    expect(after.datasets).toEqual(before.datasets);
  });

  it('keeps hostile titles literal and escaped', () => {
    const meaning = meaningOf(files.get('erddap/main/datasets.xml') as string);
    for (const id of ['ds_0000', 'ds_0070', 'ds_0014']) {
      expect(meaning.datasets.get(id)?.attributes.title).toBe(`string:Cape & Islands <buoy> ]]> {{ 7*7 }} $\${env:HOME} #${Number(id.slice(3))}`);
    }
  });
});
