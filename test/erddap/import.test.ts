// `steller import erddap`: real datasets.xml files (ERDDAP's own development file, public
// deployments) and a file of tricky constructs are imported into an empty catalog and built
// again; what ERDDAP would read from the built file must be what it read from the original:
// every dataset, tag, attribute (and type), variable and setting. The command itself runs
// through the real CLI once per kind of outcome; the rest runs in-process, for speed.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { importErddap, type ImportSummary } from '../../cli/commands/import-erddap.js';
import { renderCatalog } from '../../core/build.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import { loadCatalog } from '../../core/load.js';
import { erddapGenerator } from '../../generators/erddap/index.js';
import { importDatasetsXml } from '../../generators/erddap/import.js';
import { copyExampleCatalog, REPO, runCli, tempDir } from '../helpers/cli.js';
import { meaningOf, type Meaning } from './semantic.js';

const FIXTURES = join(REPO, 'test/erddap/fixtures');
const scratch = tempDir('steller-erddap-import-');
afterAll(() => scratch.cleanup());

interface RoundTrip {
  catalog: string;
  summary: ImportSummary;
  diagnostics: Diagnostic[];
  original: Meaning;
  rebuilt: Meaning | undefined;
  xml: string;
}

/** Imports `xmlPath` into a new catalog and builds its ERDDAP output again. */
function roundTrip(name: string, xmlPath: string, options: { server?: string; url?: string } = {}, encoding = 'utf-8'): RoundTrip {
  const catalog = join(scratch.dir, name, 'catalog');
  const summary = importErddap(xmlPath, { into: catalog, ...options });
  if (!summary.ok) throw new Error(`import failed: line ${summary.line}: ${summary.message}`);
  const loaded = loadCatalog(catalog);
  const tree = loaded.catalog ? renderCatalog(loaded.catalog, loaded.report, { generators: [erddapGenerator] }) : undefined;
  const xml = tree?.get(`erddap/${summary.server}/datasets.xml`)?.content ?? '';
  const original = meaningOf(new TextDecoder(encoding).decode(readFileSync(xmlPath)));
  return { catalog, summary, diagnostics: loaded.report.sorted(), original, rebuilt: xml ? meaningOf(xml) : undefined, xml };
}

function expectSameMeaning(result: RoundTrip): void {
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const { original, rebuilt } = result;
  expect(rebuilt).toBeDefined();
  expect([...(rebuilt?.datasets.keys() ?? [])].sort()).toEqual([...original.datasets.keys()].sort());
  for (const [id, meaning] of original.datasets) expect(rebuilt?.datasets.get(id), id).toEqual(meaning);
  if (original.settings.length) expect(rebuilt?.settings).toEqual(original.settings);
}

const notesOf = (summary: ImportSummary) => [
  ...summary.result.notes.map((n) => `${n.line}: ${n.severity}: ${n.message}`),
  ...summary.written.flatMap((w) => w.dataset.notes.map((n) => `${n.line}: ${n.severity}: ${w.dataset.datasetId}: ${n.message}`)),
].join('\n');

describe('round trips of real datasets.xml files', () => {
  it("ERDDAP's development datasets.xml, through the CLI: 76 datasets of 9 classes, nested datasets, settings, CDATA, ${…} lookups", () => {
    const catalog = join(scratch.dir, 'dev', 'catalog');
    const out = join(scratch.dir, 'dev', 'out');
    const path = join(FIXTURES, 'erddap-development-datasets.xml');
    const imported = runCli(['import', 'erddap', path, '--into', catalog]);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/imported 76 of 76 datasets/);
    const built = runCli(['build', '--catalog', catalog, '--out', out]);
    expect(built.status, built.stderr).toBe(0);
    const xml = readFileSync(join(out, 'erddap/erddap/datasets.xml'), 'utf8');
    const original = meaningOf(readFileSync(path, 'utf8'));
    const rebuilt = meaningOf(xml);
    expect(original.datasets.size).toBe(76);
    expect(rebuilt.datasets).toEqual(original.datasets);
    expect(rebuilt.settings).toEqual(original.settings);
    // EDDTableFromMqtt loads only with the SAX parser, so the import says the server uses it.
    expect(parseYaml(readFileSync(join(catalog, 'steller.yaml'), 'utf8')).servers.erddap.erddap.setup).toEqual({ use_sax_parser: true });
    expect(xml).toContain('<username>${localhost:canonical-name}</username>');
  });

  it('SalishSeaCast (52 grid and table datasets, ids with "-", variables without ioos_category)', () => {
    const result = roundTrip('salish', join(FIXTURES, 'salishseacast-datasets.xml'), { server: 'salish', url: 'https://salishsea.eos.ubc.ca/erddap/' });
    expectSameMeaning(result);
    expect(result.original.datasets.size).toBe(52);
    const project = parseYaml(readFileSync(join(result.catalog, 'steller.yaml'), 'utf8'));
    expect(project.servers.erddap.salish.url).toBe('https://salishsea.eos.ubc.ca/erddap/');
    expect(project.servers.erddap.salish.setup).toEqual({ variables_must_have_ioos_category: false });
  });

  it('the Irish Marine Institute Argo server (multidimensional NetCDF)', () => {
    expectSameMeaning(roundTrip('argo', join(FIXTURES, 'irishmarineinstitute-argo-datasets.xml')));
  });

  it('a bare <dataset> fragment whose regex ERDDAP rejects: kept as it is, the error accepted and reported', () => {
    const result = roundTrip('gom', join(FIXTURES, 'gulfofmaine-EDDTableFromNcCFFiles.xml'));
    expectSameMeaning(result);
    expect(notesOf(result.summary)).toMatch(/A01_met_all: ERDDAP cannot load this dataset as it is: .*fileNameRegex.*"\*\\\.nc"/);
    expect(result.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.code)).toContain('bad-regex');
  });
});

const TRICKY = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<erddapDatasets>
<!-- settings -->
<cacheMinutes>60</cacheMinutes>
<convertToPublicSourceUrl from="http://10.1.2.3:8080/" to="https://example.org/" />
<user username="ann" password="\${env:ANN_HASH}" roles="admin, editors"/>
<xi:include href="more.xml"/>

<!-- The buoy, as GenerateDatasetsXml wrote it. -->
<dataset type="EDDTableFromAsciiFiles" datasetID="buoy-1" active="true">
    <reloadEveryNMinutes>060</reloadEveryNMinutes>
    <fileDir>/data/buoy 1/</fileDir>
    <fileNameRegex>.*\\.csv</fileNameRegex>
    <recursive>true</recursive>
    <onChange>mailto:a@example.org</onChange>
    <onChange>https://example.org/hook?a=1&amp;b=2</onChange>
    <columnSeparator>,</columnSeparator>
    <addAttributes>
        <att name="cdm_data_type">Point</att>
        <att name="infoUrl">https://example.org/buoy?x=1&amp;y=2</att>
        <att name="institution">Caf&eacute; R&amp;D &#8211; &deg;C</att>
        <att name="keywords">buoy, temperature,
Earth Science &gt; Oceans</att>
        <att name="license"><![CDATA[Use <freely> & cite]]></att>
        <att name="sourceUrl">(local files)</att>
        <att name="summary">  Costs $\${price} and \${env:NOPE}.  </att>
        <att name="title">Buoy 1</att>
        <att name="title" xml:lang="fr">Bou&eacute;e 1</att>
        <att name="acknowledgement">Merci à tous</att>
        <att name="geospatial_lat_min" type="double">40.0</att>
        <att name="geospatial_lat_max" type="double">41.5</att>
        <att name="wmo" type="int">44013</att>
        <att name="big" type="long">12345678901</att>
        <att name="flags" type="byteList">0 1 2</att>
        <att name="range" type="floatList">-5.0 40</att>
        <att name="gone">null</att>
        <att name="empty"></att>
        <att name="nan" type="float">NaN</att>
        <att name="letter" type="char">A</att>
        <att name="words" type="stringList">a b</att>
        <att name="unsafe (name)">null</att>
    </addAttributes>
    <dataVariable>
        <sourceName>time</sourceName>
        <destinationName>time</destinationName>
        <dataType>String</dataType>
        <!-- sourceAttributes>
            <att name="units">yyyy-MM-dd</att>
        </sourceAttributes -->
        <addAttributes>
            <att name="units">yyyy-MM-dd'T'HH:mm:ss'Z'</att>
        </addAttributes>
    </dataVariable>
    <dataVariable>
        <sourceName>=42</sourceName>
        <destinationName>answer</destinationName>
        <dataType>int</dataType>
        <addAttributes>
            <att name="ioos_category">Other</att>
            <att name="units">1</att>
            <att name="valid_range" type="intList">0 100</att>
        </addAttributes>
    </dataVariable>
</dataset>

<dataset type="EDDTableFromAsciiFiles" datasetID="buoy-1" active="true">
    <fileDir>/elsewhere/</fileDir>
</dataset>

<dataset type="EDDGridLonPM180" datasetID="sstPM180">
    <reloadEveryNMinutes>1440</reloadEveryNMinutes>
    <dataset type="EDDGridFromErddap" datasetID="sst0360" active="false">
        <!-- the source server -->
        <sourceUrl>https://coastwatch.example.org/erddap/griddap/sst</sourceUrl>
    </dataset>
</dataset>

<dataset type="EDDGridFromNcFiles" datasetID="Buoy_1">
    <fileDir>/data/grid/</fileDir>
    <axisVariable><sourceName>time</sourceName><destinationName>time</destinationName></axisVariable>
    <axisVariable><sourceName>lat</sourceName><destinationName>latitude</destinationName></axisVariable>
    <dataVariable><sourceName>sst</sourceName><addAttributes><att name="ioos_category">Temperature</att></addAttributes></dataVariable>
</dataset>
</erddapDatasets>
`;

describe('tricky constructs', () => {
  const path = join(scratch.dir, 'tricky.xml');
  writeFileSync(path, Buffer.from(TRICKY, 'latin1'));
  const result = roundTrip('tricky', path, {}, 'latin1');

  it('import and build again to what ERDDAP read, except what the report names', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const original = result.original.datasets.get('buoy-1');
    const rebuilt = result.rebuilt?.datasets.get('buoy-1');
    // The French title and the ${env:NOPE} lookup inside metadata cannot be carried: both are reported.
    const { 'title@fr': french, summary, ...rest } = original?.attributes ?? {};
    expect(french).toBe('string:Bou\u00e9e 1');
    expect(summary).toBe('string:Costs $${price} and ${env:NOPE}.');
    expect(rebuilt?.attributes.summary).toBe('string:Costs $${price} and $${env:NOPE}.');
    expect({ ...rebuilt?.attributes, summary: undefined }).toEqual({ ...rest, summary: undefined });
    expect(rebuilt?.tags).toEqual(original?.tags);
    expect(rebuilt?.variables).toEqual(original?.variables);
    for (const id of ['sstPM180', 'Buoy_1']) expect(result.rebuilt?.datasets.get(id), id).toEqual(result.original.datasets.get(id));
    expect(result.rebuilt?.settings).toEqual(result.original.settings.filter((t) => !t.startsWith('<xi:include')));
  });

  it('reports what it could not carry, per dataset, with lines', () => {
    const report = notesOf(result.summary);
    expect(report).toMatch(/^7: warning: not carried over: top-level <xi:include>/m);
    expect(report).toMatch(/^28: warning: buoy-1: not carried over: the fr translation of attribute title/m);
    expect(report).toMatch(/buoy-1: attribute summary holds an ERDDAP substitution \(\$\{env:NOPE\}\)/);
    expect(report).toMatch(/not carried over: a second dataset buoy-1 \(first on line 10\)/);
    expect(result.summary.written.map((w) => w.dataset.datasetId)).toEqual(['buoy-1', 'sstPM180', 'Buoy_1']);
  });

  it('writes readable YAML: first-class fields, typed values only where needed, comments kept', () => {
    const file = readFileSync(join(result.catalog, 'datasets/erddap/buoy-1.yaml'), 'utf8');
    const record = parseYaml(file);
    expect(record.title).toBe('Buoy 1');
    expect(record.attributes.institution).toBe('Caf\u00e9 R&D \u2013 \u00b0C');
    expect(record.attributes.license).toBe('Use <freely> & cite');
    expect(record.attributes.keywords).toBe('buoy, temperature,\nEarth Science > Oceans');
    expect(record.attributes.wmo).toBe(44013);
    expect(record.attributes.big).toBe(12345678901);
    expect(record.attributes.geospatial_lat_min).toEqual({ value: '40.0', type: 'double' });
    expect(record.attributes.geospatial_lat_max).toBe(41.5);
    expect(record.attributes.flags).toEqual({ value: [0, 1, 2], type: 'byteList' });
    expect(record.attributes.gone).toBeNull();
    expect(record.variables[1]).toEqual({ name: 'answer', source_name: '=42', type: 'int', units: '1', attributes: { ioos_category: 'Other', valid_range: [0, 100] } });
    expect(record.services.erddap[0]).toMatchObject({ server: 'erddap', dataset_id: 'buoy-1', type: 'EDDTableFromAsciiFiles', options: { reloadEveryNMinutes: '060', onChange: ['mailto:a@example.org', 'https://example.org/hook?a=1&b=2'] } });
    expect(file).toMatch(/^# Imported by `steller import erddap` from datasets.xml \(line 10\)/);
    expect(file).toContain('# The buoy, as GenerateDatasetsXml wrote it.');
    expect(file).toContain('#             <att name="units">yyyy-MM-dd</att>');
    expect(record.attributes.acknowledgement).toBe('Merci \u00e0 tous'); // read as ISO-8859-1, as the declaration says
    expect(readdirSync(join(result.catalog, 'datasets/erddap')).sort()).toEqual(['Buoy_1.yaml', 'buoy-1.yaml', 'sstPM180.yaml']);
  });
});

describe('the importer as a library and the command\'s edges', () => {
  it('says what is not a datasets.xml, with the line', () => {
    expect(importDatasetsXml('<?xml version="1.0"?>\n<catalog/>', 'x')).toMatchObject({ ok: false, line: 2 });
    expect(importDatasetsXml('<?xml version="1.0"?>\n<erddapDatasets>\n<dataset>\n</erddapDatasets>', 'x')).toMatchObject({ ok: false, line: 4 });
  });

  it('exits 1 on malformed XML and 2 on a missing file, with no stack trace', () => {
    const bad = join(scratch.dir, 'bad.xml');
    writeFileSync(bad, '<?xml version="1.0"?>\n<erddapDatasets>\n<dataset type="x" datasetID="a">\n</erddapDatasets>\n');
    const malformed = runCli(['import', 'erddap', bad, '--into', join(scratch.dir, 'bad')]);
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toMatch(/bad\.xml:4: <\/erddapDatasets> closes <dataset>/);
    const missing = runCli(['import', 'erddap', join(scratch.dir, 'nope.xml'), '--into', join(scratch.dir, 'bad')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr + malformed.stderr).not.toMatch(/\n\s+at /);
  });

  it('imports into an existing catalog: to its server, keeping its steller.yaml, and the catalog still builds', () => {
    const catalog = copyExampleCatalog(join(scratch.dir, 'existing'));
    const before = readFileSync(join(catalog, 'steller.yaml'), 'utf8');
    const argo = join(FIXTURES, 'irishmarineinstitute-argo-datasets.xml');
    const summary = importErddap(argo, { into: catalog });
    if (!summary.ok) throw new Error(summary.message);
    expect(summary.server).toBe('data');
    expect(summary.project).toEqual(['steller.yaml already has settings for "data"; the 1 top-level tags of the file were not merged into them']);
    expect(readFileSync(join(catalog, 'steller.yaml'), 'utf8')).toBe(before);
    const loaded = loadCatalog(catalog);
    expect(loaded.catalog).toBeDefined();
    renderCatalog(loaded.catalog!, loaded.report, { generators: [erddapGenerator] });
    expect(loaded.report.sorted().filter((d) => d.severity === 'error')).toEqual([]);
    const again = importErddap(argo, { into: catalog });
    expect(again.ok && again.written.every((w) => w.skipped)).toBe(true);
  });
});
