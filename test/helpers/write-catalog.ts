// Writes a small catalog from a map of file paths to texts (or bytes), for tests of bad input.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const MINIMAL_PROJECT = `name: testing
servers:
  erddap:
    data: { url: https://data.example.org/erddap/, file_dir: /data }
  thredds:
    data: { url: https://data.example.org/thredds/ }
  ckan:
    catalog: { url: https://catalog.example.org/, organization: testing }
kubernetes:
  namespace: harvest
  image: ghcr.io/example/harvester:1.0.0
defaults:
  attributes: { institution: Example RA, license: CC-BY-4.0, infoUrl: https://example.org/ }
`;

export const MINIMAL_DATASET = `title: Buoy A - Temperature
summary: Water temperature at buoy A.
attributes: { cdm_data_type: TimeSeries, cdm_timeseries_variables: station }
schedule: "H * * * *"
variables:
  - { name: time, type: double, units: seconds since 1970-01-01T00:00:00Z, attributes: { ioos_category: Time, standard_name: time } }
  - { name: station, type: String, attributes: { cf_role: timeseries_id, ioos_category: Identifier } }
  - { name: temp, type: float, units: degree_Celsius, attributes: { ioos_category: Temperature, standard_name: sea_water_temperature } }
services:
  erddap:
    - { server: data, type: EDDTableFromNcFiles, options: { fileDir: buoy_a, fileNameRegex: '.*\\.nc' } }
`;

export function writeCatalog(dir: string, files: Record<string, string | Uint8Array>): string {
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return dir;
}
