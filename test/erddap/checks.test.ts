// Each of ERDDAP's load rules the ERDDAP generator checks: a catalog that breaks it gets that
// error (or warning) at the catalog line responsible, and never a stack trace. A clean catalog
// gets none. The rules are ERDDAP's (research/erddap.md §5-§9), not steller's taste.
import { afterAll, describe, expect, it } from 'vitest';
import { renderCatalog } from '../../core/build.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import { loadCatalog } from '../../core/load.js';
import { erddapGenerator } from '../../generators/erddap/index.js';
import { tempDir } from '../helpers/cli.js';
import { MINIMAL_DATASET, MINIMAL_PROJECT, writeCatalog } from '../helpers/write-catalog.js';

const scratch = tempDir('steller-erddap-checks-');
afterAll(() => scratch.cleanup());

const DS = 'datasets/buoys/buoy_a.yaml';
let counter = 0;

/** Loads and renders (ERDDAP only) a catalog; the diagnostics and the datasets.xml of server `data`. */
export function build(dataset: string, project = MINIMAL_PROJECT, extra: Record<string, string> = {}): { diagnostics: Diagnostic[]; xml: string | undefined } {
  const dir = writeCatalog(`${scratch.dir}/c${counter++}`, { 'steller.yaml': project, [DS]: dataset, ...extra });
  const loaded = loadCatalog(dir);
  if (!loaded.catalog) return { diagnostics: loaded.report.sorted(), xml: undefined };
  const tree = renderCatalog(loaded.catalog, loaded.report, { generators: [erddapGenerator] });
  return { diagnostics: loaded.report.sorted(), xml: tree.get('erddap/data/datasets.xml')?.content };
}

const replace = (from: string, to: string, base = MINIMAL_DATASET) => {
  if (!base.includes(from)) throw new Error(`test setup: "${from}" not in base`);
  return base.replace(from, to);
};
const service = (text: string) => replace("    - { server: data, type: EDDTableFromNcFiles, options: { fileDir: buoy_a, fileNameRegex: '.*\\.nc' } }", text);

function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`test setup: "${needle}" not found`);
  return text.slice(0, index).split('\n').length;
}

interface Case {
  name: string;
  dataset: string;
  project?: string;
  extra?: Record<string, string>;
  code: string;
  severity?: 'error' | 'warning';
  /** Text on the line the diagnostic must point at; `file` when not the dataset. */
  at: string;
  file?: string;
}

const GRID = `title: SST grid
summary: Sea surface temperature.
attributes: { cdm_data_type: Grid }
variables:
  - { name: time, type: double, units: seconds since 1970-01-01T00:00:00Z, axis: true }
  - { name: latitude, type: float, units: degrees_north, axis: true }
  - { name: longitude, type: float, units: degrees_east, axis: true }
  - { name: sst, type: float, attributes: { ioos_category: Temperature } }
services:
  erddap:
    - { server: data, type: EDDGridFromNcFiles, options: { fileDir: sst } }
`;

const TEMPLATE_DATASET = service('    - { server: data, template_file: ../t.xml.jinja }');
const template = (body: string) => ({ 'datasets/t.xml.jinja': body });
const TEMPLATE_OK = `<dataset type="EDDTableFromNcFiles" datasetID="{{ service.dataset_id }}" active="true">
  <fileDir>/data/a/</fileDir>
  <addAttributes>
    <att name="cdm_data_type">Other</att>
    <att name="infoUrl">https://example.org/</att>
    <att name="institution">Example</att>
    <att name="sourceUrl">(local files)</att>
    <att name="summary">{{ dataset.summary }}</att>
    <att name="title">{{ dataset.title }}</att>
  </addAttributes>
  <dataVariable><sourceName>time</sourceName><dataType>double</dataType>
    <addAttributes><att name="units">seconds since 1970-01-01</att></addAttributes></dataVariable>
</dataset>`;

const CASES: Case[] = [
  { name: 'unknown class', dataset: service('    - { server: data, type: EDDTableFromNcFile, options: { fileDir: a } }'), code: 'unknown-erddap-class', at: 'EDDTableFromNcFile,' },
  { name: 'tag the class does not accept', dataset: service('    - { server: data, type: EDDTableFromNcFiles, options: { fileDir: a, fileNameRegx: x } }'), code: 'tag-not-accepted', at: 'fileNameRegx' },
  { name: 'a global attribute written as a tag', dataset: service('    - { server: data, type: EDDTableFromMultidimNcFiles, options: { fileDir: a, treatDimensionsAs: "" } }'), code: 'tag-not-accepted', at: 'treatDimensionsAs' },
  { name: 'a tag ERDDAP stopped supporting', dataset: service('    - { server: data, type: EDDTableFromNcFiles, options: { fileDir: a, altitudeMetersPerSourceUnit: -1 } }'), code: 'tag-no-longer-supported', at: 'altitudeMetersPerSourceUnit' },
  { name: 'required tag missing', dataset: service('    - { server: data, type: EDDTableFromNcFiles, options: { recursive: true } }'), code: 'missing-tag', at: 'options:' },
  { name: 'addAttributes spelled as an option', dataset: service('    - { server: data, type: EDDTableFromNcFiles, options: { fileDir: a, addAttributes: x } }'), code: 'structural-option', at: 'addAttributes' },
  { name: 'attributes on an EDDTableFromErddap', dataset: service('    - { server: data, type: EDDTableFromErddap, options: { sourceUrl: "https://e.org/erddap/tabledap/x" }, attributes: { title: T } }'), code: 'attributes-not-accepted', at: 'attributes: { title' },
  { name: 'griddap URL for EDDTableFromErddap', dataset: service('    - { server: data, type: EDDTableFromErddap, options: { sourceUrl: "https://e.org/erddap/griddap/x" } }'), code: 'bad-source-url', at: 'sourceUrl' },
  { name: 'invalid Java regex (a glob)', dataset: service("    - { server: data, type: EDDTableFromNcFiles, options: { fileDir: a, fileNameRegex: '*\\.nc' } }"), code: 'bad-regex', at: 'fileNameRegex' },
  { name: 'Java rejects a lone brace', dataset: service("    - { server: data, type: EDDTableFromNcFiles, options: { fileDir: a, pathRegex: '.*/${year}/.*' } }"), code: 'bad-regex', at: 'pathRegex' },
  { name: 'metadataFrom neither first nor last', dataset: service('    - { server: data, type: EDDTableFromNcFiles, options: { fileDir: a, metadataFrom: middle } }'), code: 'bad-tag-value', at: 'metadataFrom' },
  { name: 'firstDataRow not after columnNamesRow', dataset: service('    - { server: data, type: EDDTableFromAsciiFiles, options: { fileDir: a, columnNamesRow: 2, firstDataRow: 2 } }'), code: 'bad-tag-value', at: 'firstDataRow' },
  { name: 'non-integer minutes', dataset: service('    - { server: data, type: EDDTableFromNcFiles, options: { fileDir: a, reloadEveryNMinutes: hourly } }'), code: 'not-an-integer', severity: 'warning', at: 'reloadEveryNMinutes' },
  { name: 'summary missing', dataset: replace('summary: Water temperature at buoy A.\n', ''), code: 'missing-global-attribute', at: 'attributes:' },
  { name: 'infoUrl missing', dataset: MINIMAL_DATASET, project: MINIMAL_PROJECT.replace(', infoUrl: https://example.org/', ''), code: 'missing-global-attribute', at: 'attributes:' },
  { name: 'cdm_data_type missing on a table', dataset: replace('attributes: { cdm_data_type: TimeSeries, cdm_timeseries_variables: station }', 'attributes: { featureType_note: none }'), code: 'missing-global-attribute', at: 'attributes:' },
  { name: 'cdm_data_type not ERDDAP\'s', dataset: replace('cdm_data_type: TimeSeries', 'cdm_data_type: Station'), code: 'bad-cdm-data-type', at: 'cdm_data_type' },
  { name: 'TimeSeries without a cf_role variable', dataset: replace('cf_role: timeseries_id, ', ''), code: 'dsg-mismatch', severity: 'warning', at: '- { server: data' },
  { name: 'cdm_timeseries_variables naming no variable', dataset: replace('cdm_timeseries_variables: station', 'cdm_timeseries_variables: "station,platform"'), code: 'dsg-mismatch', at: 'cdm_timeseries_variables' },
  { name: 'cf_role variable left out of cdm_timeseries_variables', dataset: replace('cdm_timeseries_variables: station', 'cdm_timeseries_variables: time'), code: 'dsg-mismatch', at: 'cdm_timeseries_variables' },
  { name: 'a cf_role a Point dataset must not have', dataset: replace('cdm_data_type: TimeSeries, cdm_timeseries_variables: station', 'cdm_data_type: Point'), code: 'dsg-mismatch', at: '- { server: data' },
  { name: 'variable without ioos_category', dataset: replace('units: degree_Celsius, attributes: { ioos_category: Temperature, standard_name: sea_water_temperature }', 'units: count, attributes: { long_name: Temp }'), code: 'missing-ioos-category', at: 'name: temp' },
  { name: 'ioos_category not ERDDAP\'s', dataset: replace('ioos_category: Temperature', 'ioos_category: Temperatures'), code: 'bad-ioos-category', at: 'ioos_category: Temperatures' },
  { name: 'ioos_category inferred from an unambiguous standard_name', dataset: replace('attributes: { ioos_category: Temperature, standard_name: sea_water_temperature }', 'attributes: { standard_name: sea_water_temperature }'), code: 'ioos-category-inferred', severity: 'warning', at: 'name: temp' },
  { name: 'ioos_category inferred from units that mean one category', dataset: replace('attributes: { ioos_category: Temperature, standard_name: sea_water_temperature }', 'attributes: { long_name: T }'), code: 'ioos-category-inferred', severity: 'warning', at: 'name: temp' },
  { name: 'no ioos_category inferred from an ambiguous standard_name', dataset: replace('units: degree_Celsius, attributes: { ioos_category: Temperature, standard_name: sea_water_temperature }', 'units: W m-2, attributes: { standard_name: surface_temperature_heat_flux }'), code: 'missing-ioos-category', at: 'name: temp' },
  { name: 'time units ERDDAP cannot read', dataset: replace('units: seconds since 1970-01-01T00:00:00Z', 'units: epoch seconds'), code: 'bad-time-units', at: 'units: epoch' },
  { name: 'no dataType on a file-table variable', dataset: replace('{ name: temp, type: float,', '{ name: temp,'), code: 'missing-data-type', at: 'name: temp' },
  { name: 'a table with altitude and depth', dataset: replace('  - { name: temp,', '  - { name: altitude, type: float, units: m }\n  - { name: depth, type: float, units: m }\n  - { name: temp,'), code: 'altitude-and-depth', at: '- { server: data' },
  { name: 'units given twice', dataset: replace('units: degree_Celsius, attributes: {', 'units: degree_Celsius, attributes: { units: K,'), code: 'duplicate-attribute', at: 'units: degree_Celsius' },
  { name: 'attribute type that does not parse', dataset: replace('cdm_timeseries_variables: station', 'cdm_timeseries_variables: station, depth_max: { value: deep, type: double }'), code: 'attribute-not-a-number', severity: 'warning', at: 'depth_max' },
  { name: 'grid files without axes', dataset: GRID.replaceAll(', axis: true', ''), code: 'missing-axis-variables', at: '- { server: data' },
  { name: 'SAX-only class on a default server', dataset: service('    - { server: data, type: EDDTableFromMqtt, options: { serverHost: localhost } }'), code: 'sax-only-class', at: 'EDDTableFromMqtt' },
  { name: 'wrapper without its child', dataset: service('    - { server: data, type: EDDGridLonPM180 }'), code: 'child-dataset-count', at: '- { server: data' },
  { name: 'nested dataset of the wrong kind', dataset: service('    - { server: data, type: EDDGridLonPM180, options: { dataset: { type: EDDTableFromErddap, dataset_id: c, options: { sourceUrl: "https://e.org/erddap/tabledap/c" } } } }'), code: 'wrong-child-kind', at: 'type: EDDTableFromErddap' },
  { name: 'nested dataset with its parent\'s id', dataset: service('    - { server: data, type: EDDGridLonPM180, options: { dataset: { type: EDDGridFromErddap, dataset_id: buoy_a, options: { sourceUrl: "https://e.org/erddap/griddap/c" } } } }'), code: 'child-id-equals-parent', at: 'dataset_id: buoy_a' },
  { name: 'nested dataset that is not a mapping', dataset: service('    - { server: data, type: EDDGridLonPM180, options: { dataset: [1] } }'), code: 'bad-child-dataset', at: 'dataset: [1]' },
  { name: 'option with a nested list', dataset: service('    - { server: data, type: EDDTableFromNcFiles, options: { fileDir: a, onChange: { value: [1, 2] } } }'), code: 'bad-option', at: 'onChange' },
  { name: 'relative fileDir without a server file_dir', dataset: MINIMAL_DATASET, project: MINIMAL_PROJECT.replace(', file_dir: /data', ''), code: 'relative-file-dir', severity: 'warning', at: 'fileDir' },
  { name: 'unknown top-level setting', dataset: MINIMAL_DATASET, project: MINIMAL_PROJECT.replace('file_dir: /data }', 'file_dir: /data, settings: { cacheMinute: 5 } }'), code: 'unknown-erddap-setting', at: 'cacheMinute', file: 'steller.yaml' },
  { name: 'malformed convertToPublicSourceUrl', dataset: MINIMAL_DATASET, project: MINIMAL_PROJECT.replace('file_dir: /data }', 'file_dir: /data, settings: { convertToPublicSourceUrl: { from: "x" } } }'), code: 'erddap-setting-ignored', severity: 'warning', at: 'convertToPublicSourceUrl', file: 'steller.yaml' },
  { name: 'template that is not well-formed', dataset: TEMPLATE_DATASET, extra: template('<dataset type="EDDTableFromNcFiles" datasetID="{{ service.dataset_id }}"><fileDir>/a</dataset>'), code: 'template-not-xml', at: 'template_file' },
  { name: 'template with another datasetID', dataset: TEMPLATE_DATASET, extra: template(TEMPLATE_OK.replace('{{ service.dataset_id }}', 'other')), code: 'template-dataset-id', at: 'template_file' },
  { name: 'template with a tag its class rejects', dataset: TEMPLATE_DATASET, extra: template(TEMPLATE_OK.replace('<fileDir>', '<fileDirectory>x</fileDirectory><fileDir>')), code: 'tag-not-accepted', at: 'template_file' },
  { name: 'template missing a global attribute', dataset: TEMPLATE_DATASET, extra: template(TEMPLATE_OK.replace('<att name="infoUrl">https://example.org/</att>', '')), code: 'missing-global-attribute', at: 'template_file' },
  { name: 'template that renders another element', dataset: TEMPLATE_DATASET, extra: template('<datasets/>'), code: 'template-not-dataset', at: 'template_file' },
  { name: 'an inactive dataset is not held to the rules', dataset: service("    - { server: data, type: EDDTableFromNcFiles, active: false, options: { fileDir: a, fileNameRegex: '*\\.nc' } }"), code: 'bad-regex', severity: 'warning', at: 'fileNameRegex' },
  { name: 'accepted error is a warning', dataset: service("    - { server: data, type: EDDTableFromNcFiles, accept_errors: [bad-regex], options: { fileDir: a, fileNameRegex: '*\\.nc' } }"), code: 'bad-regex', severity: 'warning', at: 'fileNameRegex' },
];

describe('ERDDAP load rules, reported at the catalog line', () => {
  it('a clean catalog has no ERDDAP diagnostics', () => {
    const { diagnostics, xml } = build(MINIMAL_DATASET);
    expect(diagnostics).toEqual([]);
    expect(xml).toContain('<dataset type="EDDTableFromNcFiles" datasetID="buoy_a" active="true">');
  });

  CASES.forEach((c) => {
    it(`${c.name}: ${c.severity ?? 'error'} ${c.code}`, () => {
      const project = c.project ?? MINIMAL_PROJECT;
      const { diagnostics } = build(c.dataset, project, c.extra);
      const file = c.file ?? DS;
      const found = diagnostics.find((d) => d.code === c.code && d.file === file);
      expect(found, `no ${c.code}; got ${JSON.stringify(diagnostics.map((d) => [d.code, d.line, d.message]), null, 1)}`).toBeDefined();
      expect(found?.severity).toBe(c.severity ?? 'error');
      expect(found?.line).toBe(lineOf(file === DS ? c.dataset : project, c.at));
      expect(found?.message.length).toBeGreaterThan(20);
    });
  });
});
