// A 2,000-dataset catalog with every kind of THREDDS entry (plain datasets, datasetScans,
// featureCollections, catalogRefs, template datasets, per-dataset and custom services, grid and
// point data, several groups) builds without errors, and every catalog it writes is valid.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderCatalog } from '../../core/build.js';
import { threddsGenerator } from '../../generators/thredds/index.js';
import { loadCatalog } from '../../core/load.js';
import { tempDir } from '../helpers/cli.js';
import { describeWithShared, SHARED } from '../helpers/shared.js';
import { writeCatalog } from '../helpers/write-catalog.js';
import { HAS_NATIVE_XMLLINT, validateWithNative, validateWithWasm, type XmlDocument } from '../helpers/xsd.js';

const COUNT = 2000;
const GROUPS = ['buoys', 'gliders', 'models', 'satellite', 'tides', 'ports', 'hf_radar', 'waves'];

const PROJECT = `name: scale
servers:
  thredds:
    main:
      url: https://tds.example.org/thredds/
      data_dir: /data
      services: [opendap, http, wms, wcs, ncss, iso, ncml, uddc]
      data_roots: { archive: /archive }
      custom_services:
        sos: { type: SOS, base: /thredds/sos/ }
        dapsos: { type: Compound, services: [opendap, sos] }
    mirror:
      url: https://mirror.example.org/tds/
      services: [opendap, http]
      data_roots: { mirrored: /mirror }
`;

const TEMPLATE = `<dataset name="{{ dataset.title }}" ID="{{ service.dataset_id }}" urlPath="{{ service.path }}">
  <serviceName>{{ 'dapsos' if (dataset.id | last) == '3' else 'all' }}</serviceName>
  <dataType>Station</dataType>
  <documentation type="summary">{{ dataset.summary }}</documentation>
</dataset>`;

function datasetYaml(i: number): string {
  const group = GROUPS[i % GROUPS.length];
  const cdm = ['Grid', 'TimeSeries', 'Trajectory', 'Point'][i % 4];
  const lonMin = i % 50 === 0 ? 170.25 : -70 - (i % 10) / 8;
  const lonMax = i % 50 === 0 ? -175.5 : lonMin + 0.125;
  const lines = [
    `title: "Dataset ${i} at ${group} & co <${cdm}>"`,
    `summary: "Synthetic dataset ${i}; ]]> {{ not a template }}"`,
    `keywords: [${group}, "kw ${i % 13}"]`,
    'attributes:',
    `  cdm_data_type: ${cdm}`,
    '  creator_name: Example Lab',
    '  creator_email: lab@example.org',
    `  geospatial_lat_min: ${40 + (i % 7) / 10}`,
    `  geospatial_lat_max: ${41 + (i % 7) / 10}`,
    `  geospatial_lon_min: ${lonMin}`,
    `  geospatial_lon_max: ${lonMax}`,
    `  time_coverage_start: "20${10 + (i % 15)}-01-01T00:00:00Z"`,
    ...(i % 9 === 0 ? ['  time_coverage_end: "2025-01-01T00:00:00Z"'] : []),
    'services:',
    '  thredds:',
    ...threddsEntries(i, group),
  ];
  return `${lines.join('\n')}\n`;
}

function threddsEntries(i: number, group: string): string[] {
  const entry = ['    - server: main'];
  if (i % 10 === 3) return [...entry, '      template_file: ../station.xml.jinja', `      path: ${group}/station_${i}.nc`];
  if (i % 100 === 1) return [...entry, `      path: ${group}/elsewhere_${i}`, `      options: { catalogRef: { href: "http://other.example.org/thredds/catalog/${i}/catalog.xml" } }`];
  if (i % 7 === 0) {
    const featureType = ['FMRC', 'GRIB2', 'Point'][i % 3];
    return [...entry, `      path: ${group}/collection_${i}`, '      options:', '        featureCollection:', `          featureType: ${featureType}`,
      `          collection: { spec: "${group}/c${i}/.*\\\\.nc$", olderThan: 5 min }`, '          update: { startup: test, recheckAfter: 15 min }',
      ...(featureType === 'FMRC' ? ['          fmrcConfig: { regularize: true, datasetTypes: "TwoD Best" }'] : [])];
  }
  if (i % 5 === 0) {
    return [...entry, `      path: ${group}/scan_${i}`, '      options:', '        datasetScan:', `          filter: { include: '.*\\.nc$', exclude: [{ wildcard: "*.tmp" }] }`,
      `          sort: ${i % 2 ? 'increasing' : 'decreasing'}`, '          addLatest: true',
      '          addTimeCoverage: { datasetNameMatchPattern: "([0-9]{8})\\\\.nc$", startTimeSubstitutionPattern: "$1", duration: 1 day }'];
  }
  const services = i % 3 === 0 ? ['      services: [opendap, http]'] : i % 11 === 0 ? ['      services: [ncss]'] : i % 13 === 0 ? ['      services: [dapsos]'] : [];
  const path = i % 17 === 0 ? `archive/${group}/d${i}.nc` : `${group}/sub${i % 4}/d${i}.nc`;
  const mirror = i % 19 === 0 ? ['    - server: mirror', `      path: mirrored/d${i}.nc`] : [];
  return [...entry, `      path: ${path}`, ...(i % 23 === 0 ? ['      group: specials'] : []), ...services, ...mirror];
}

const scratch = tempDir('steller-thredds-scale-');
afterAll(() => scratch.cleanup());

let documents: XmlDocument[] = [];
let diagnostics: string[] = [];
let mirrored = 0;

beforeAll(() => {
  const files: Record<string, string> = { 'steller.yaml': PROJECT, 'datasets/station.xml.jinja': TEMPLATE };
  for (let i = 0; i < COUNT; i++) files[`datasets/${GROUPS[i % GROUPS.length]}/d${String(i).padStart(4, '0')}.yaml`] = datasetYaml(i);
  mirrored = Object.values(files).filter((text) => text.includes('- server: mirror')).length;
  const loaded = loadCatalog(writeCatalog(scratch.dir, files));
  expect(loaded.report.sorted().map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`)).toEqual([]);
  const tree = renderCatalog(loaded.catalog!, loaded.report, { generators: [threddsGenerator] });
  diagnostics = loaded.report.sorted().map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`);
  documents = [...tree.values()].filter((f) => f.path.startsWith('thredds/') && f.path.endsWith('.xml')).map((f) => ({ name: f.path, contents: f.content }));
}, 120_000);

describeWithShared(`a ${COUNT}-dataset catalog`, () => {
  it('builds without THREDDS errors or warnings', () => {
    expect(diagnostics.filter((d) => d.includes(' thredds'))).toEqual([]);
  });

  it('writes a root and a group catalog per group on each server, holding every dataset', () => {
    expect(documents.map((d) => d.name)).toEqual([
      ...['archive', 'buoys', 'catalog.xml', 'gliders', 'hf_radar', 'models', 'ports', 'satellite', 'specials', 'tides', 'waves'].map((g) => (g === 'catalog.xml' ? 'thredds/main/catalog.xml' : `thredds/main/${g}/catalog.xml`)),
      'thredds/mirror/catalog.xml', 'thredds/mirror/mirrored/catalog.xml',
    ]);
    const idsOf = (server: string) => documents.filter((d) => d.name.startsWith(`thredds/${server}/`))
      .flatMap((d) => [...d.contents.matchAll(/ ID="([^"]+)"/g)].map((m) => m[1]));
    for (const [server, count] of [['main', COUNT], ['mirror', mirrored]] as const) {
      const ids = idsOf(server);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(count);
    }
  });

  for (const version of ['1.3', '1.0.7']) {
    const schema = `${SHARED}/refs/thredds/InvCatalog.${version}.xsd`;
    it(`every catalog validates against InvCatalog ${version} (xmllint-wasm)`, async () => {
      const result = await validateWithWasm(schema, documents);
      expect(result.errors.slice(0, 10)).toEqual([]);
    }, 60_000);

    it.runIf(HAS_NATIVE_XMLLINT)(`every catalog validates against InvCatalog ${version} (native xmllint)`, () => {
      const result = validateWithNative(schema, documents);
      expect(result.errors.slice(0, 10)).toEqual([]);
    });
  }
});
