// A synthetic catalog with every common kind of ERDDAP dataset: files, remote ERDDAP, DAP, DAP
// sequences, ASCII, templates, nested datasets, tabledap/griddap defaults, hostile titles and
// variables whose ioos_category is inferred. Used by the scale test and for timing.

const PROJECT = `name: scale
servers:
  erddap:
    main:
      url: https://erddap.example.org/erddap/
      file_dir: /data
      settings:
        cacheMinutes: 60
        requestBlacklist: 192.0.2.1, 198.51.100.*
        convertToPublicSourceUrl: [{ from: "http://10.0.0.1:8080/thredds/", to: "https://tds.example.org/thredds/" }]
    mirror:
      url: https://mirror.example.org/erddap/
defaults:
  attributes: { institution: Example RA, license: CC-BY-4.0, infoUrl: https://example.org/, Conventions: "CF-1.6, ACDD-1.3" }
`;

const TEMPLATE = `<dataset type="EDDTableFromNcFiles" datasetID="{{ service.dataset_id }}" active="true">
  <fileDir>{{ server.file_dir }}/t/{{ dataset.id }}/</fileDir>
  <fileNameRegex>.*\\.nc</fileNameRegex>
  <addAttributes>
    <att name="cdm_data_type">Point</att>
    <att name="sourceUrl">(local files)</att>
    <att name="title">{{ dataset.title }}</att>
    <att name="summary">{{ dataset.summary }}</att>
{% for name, value in dataset.attributes | dictsort %}
    <att name="{{ name }}">{{ value }}</att>
{% endfor %}
  </addAttributes>
  <dataVariable>
    <sourceName>time</sourceName>
    <destinationName>time</destinationName>
    <dataType>double</dataType>
    <addAttributes><att name="units">seconds since 1970-01-01T00:00:00Z</att></addAttributes>
  </dataVariable>
  <dataVariable>
    <sourceName>temp</sourceName>
    <destinationName>temp</destinationName>
    <dataType>float</dataType>
    <addAttributes><att name="ioos_category">Temperature</att></addAttributes>
  </dataVariable>
</dataset>
`;

/** `infer`: temp has a standard_name and no ioos_category, so steller infers it (and warns). */
const tableVariables = (infer: boolean) => `variables:
  - { name: time, type: double, units: seconds since 1970-01-01T00:00:00Z }
  - { name: station, type: String, attributes: { cf_role: timeseries_id, ioos_category: Identifier } }
  - { name: latitude, type: double, units: degrees_north }
  - { name: longitude, type: double, units: degrees_east }
  - { name: depth, type: float, units: m }
  - { name: temp, source_name: TEMP, type: float, units: degree_Celsius, attributes: { standard_name: sea_water_temperature, valid_range: [-5, 40.5], _FillValue: { value: -999, type: float }${infer ? '' : ', ioos_category: Temperature'} } }
  - { name: sal, type: float, units: "1e-3", attributes: { standard_name: sea_water_practical_salinity, ioos_category: Salinity, comment: null } }
`;

const GRID_VARIABLES = `variables:
  - { name: time, type: double, units: seconds since 1970-01-01T00:00:00Z, axis: true }
  - { name: latitude, source_name: lat, type: float, units: degrees_north, axis: true }
  - { name: longitude, source_name: lon, type: float, units: degrees_east, axis: true }
  - { name: sst, type: float, units: degree_Celsius, attributes: { standard_name: sea_surface_temperature, ioos_category: Temperature } }
`;

/** One dataset of the kind `i` selects, as YAML. */
export function datasetYaml(i: number): string {
  const kind = i % 12;
  const title = i % 7 === 0 ? `"Cape & Islands <buoy> ]]> {{ 7*7 }} $\{env:HOME} #${i}"` : `"Synthetic dataset ${i} (Gulf of Maine, 42°N)"`;
  const head = [`title: ${title}`, `summary: "Dataset ${i}: near real-time observations."`, `keywords: [synthetic, "kw ${i % 17}"]`];
  const table = (cls: string, options: string) => [...head,
    'attributes: { cdm_data_type: TimeSeries, cdm_timeseries_variables: "station,latitude,longitude,depth", wmo_code: 440' + String(i % 10) + ', geospatial_lat_min: 42.5 }',
    tableVariables(i % 25 === 0),
    'services:', '  erddap:', `    - { server: main, type: ${cls}, options: ${options} }`].join('\n');
  const grid = (cls: string, options: string) => [...head, 'attributes: { cdm_data_type: Grid }', GRID_VARIABLES,
    'services:', '  erddap:', `    - { server: main, type: ${cls}, options: ${options} }`].join('\n');
  switch (kind) {
    case 0: return table('EDDTableFromNcFiles', `{ fileDir: "buoys/b${i}", fileNameRegex: '.*\\.nc', recursive: true, reloadEveryNMinutes: 60 }`);
    case 1: return table('EDDTableFromNcCFFiles', `{ fileDir: /abs/b${i}/, fileNameRegex: 'b${i}_\\d{8}\\.nc' }`);
    case 2: return table('EDDTableFromMultidimNcFiles', `{ fileDir: "m/${i}", removeMVRows: true }`);
    case 3: return table('EDDTableFromAsciiFiles', `{ fileDir: "a/${i}", columnNamesRow: 1, firstDataRow: 3, charset: UTF-8 }`);
    case 4: return table('EDDTableFromDapSequence', `{ sourceUrl: "https://dap.example.org/seq/${i}", outerSequenceName: s, sourceNeedsExpandedFP_EQ: true }`);
    case 5: return table('tabledap', `{ fileDir: "d/${i}" }`);
    case 6: return [...head, 'services:', '  erddap:', `    - { server: main, type: EDDTableFromErddap, options: { sourceUrl: "https://remote.example.org/erddap/tabledap/r${i}" } }`,
      `    - { server: mirror, dataset_id: m${i}, type: tabledap, options: { sourceUrl: "https://erddap.example.org/erddap/tabledap/d${i}" } }`].join('\n');
    case 7: return [...head, 'services:', '  erddap:', `    - { server: main, type: griddap, options: { sourceUrl: "https://remote.example.org/erddap/griddap/g${i}", reloadEveryNMinutes: 1440 } }`].join('\n');
    case 8: return grid('EDDGridFromDap', `{ sourceUrl: "https://tds.example.org/thredds/dodsC/g${i}" }`);
    case 9: return grid('EDDGridFromNcFiles', `{ fileDir: "g/${i}", fileNameRegex: '.*\\.nc', matchAxisNDigits: 10 }`);
    case 10: return [...head, 'services:', '  erddap:', `    - { server: main, template_file: ../template.xml.jinja }`].join('\n');
    default: return [...head, 'services:', '  erddap:', '    - server: main', '      type: EDDGridLonPM180',
      `      options: { reloadEveryNMinutes: 10080, dataset: { type: EDDGridFromErddap, dataset_id: child${i}, options: { sourceUrl: "https://remote.example.org/erddap/griddap/c${i}" } } }`].join('\n');
  }
}

/** The catalog's files by path, for writeCatalog. */
export function syntheticCatalog(count: number): Record<string, string> {
  const files: Record<string, string> = { 'steller.yaml': PROJECT, 'datasets/template.xml.jinja': TEMPLATE };
  for (let i = 0; i < count; i++) files[`datasets/g${i % 20}/ds_${String(i).padStart(4, '0')}.yaml`] = datasetYaml(i);
  return files;
}
