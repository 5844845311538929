// A large catalog built to stress the CKAN outputs: ids that munge alike or are reserved names,
// hostile titles, messy keywords, points, areas, 0..360 boxes and coordinates JavaScript prints
// with an exponent, inactive ERDDAP datasets,
// THREDDS scans and collections, two CKAN servers. Files are JSON, which YAML reads as written.
import { writeCatalog } from '../helpers/write-catalog.js';

const PROJECT = `name: stress
servers:
  erddap:
    main: { url: https://erddap.example.org/erddap/, file_dir: /data }
    remote: { url: "https://remote.example.org:8443/erddap" }
  thredds:
    tds: { url: https://tds.example.org/thredds/, data_dir: /data, services: [opendap, http, wms, ncss] }
    bare: { url: https://bare.example.org/thredds/, data_dir: /data }
  ckan:
    public: { url: https://catalog.example.org/, organization: stress-ra, license_id: cc-by-4.0, contact_email: info@example.org, publisher: "Stress & Test RA" }
    mirror: { url: https://mirror.example.org/ckan, organization: mirror_org, license_id: not-a-known-license }
kubernetes: { namespace: stress, image: ghcr.io/example/harvester:1.0.0 }
defaults:
  attributes: { institution: Stress RA, publisher_name: Stress RA, publisher_email: info@example.org }
`;

export const HOSTILE_TITLE = 'Cape & Islands <buoy> ]]> {{ 7*7 }} "quoted" \'apos\' back\\slash\nnew line 🌊';

/** Ids that a naive munge would collide or CKAN would refuse, each with an explicit ERDDAP id. */
const SPECIAL_IDS = ['new', 'Edit', 'search', 'a', 'a.b', 'a-b', 'A_B', 'x--y', 'trail-', `long.${'segment'.repeat(16)}`];

const KEYWORD_SETS = [
  ['sea_water_temperature', 'EARTH SCIENCE > OCEANS > OCEAN TEMPERATURE > WATER TEMPERATURE', 'buoy'],
  ['Cape & Islands', 'x', 'Buoy', 'buoy', 'salinity/conductivity'],
  ['currents', 'ADCP (300 kHz)', 'Gulf of Maine', 'Golfe du Saint-Laurent'],
];

export interface SyntheticOptions {
  count: number;
}

export function writeSyntheticCatalog(dir: string, { count }: SyntheticOptions): string {
  const files: Record<string, string> = { 'steller.yaml': PROJECT };
  SPECIAL_IDS.forEach((id, n) => {
    files[`datasets/special/s${n}.yaml`] = JSON.stringify(dataset(100_000 + n, id, `special_${n}`));
  });
  for (let i = 0; i < count - SPECIAL_IDS.length; i++) {
    const id = [`buoy_${i}`, `Station.${i}.v2`, `glider-${i}`, `MODEL_${i}`][i % 4];
    files[`datasets/group${i % 7}/${id}.yaml`] = JSON.stringify(dataset(i, id));
  }
  return writeCatalog(dir, files);
}

function dataset(i: number, id: string, erddapId?: string): Record<string, unknown> {
  const gridded = i % 4 === 3;
  const record: Record<string, unknown> = {
    id,
    title: i % 5 === 0 ? `${HOSTILE_TITLE} #${i}` : `Synthetic dataset ${i} (${id})`,
    ...(i % 6 === 1 ? {} : { summary: i % 5 === 0 ? `Summary with <tags> & entities &amp; for ${i}` : `Observations number ${i}.` }),
    keywords: i % 10 === 3 ? [] : KEYWORD_SETS[i % KEYWORD_SETS.length],
    attributes: attributes(i, gridded),
    variables: variables(i, gridded),
    services: {
      erddap: [{
        server: i % 9 === 0 ? 'remote' : 'main',
        type: gridded ? 'griddap' : 'tabledap',
        ...(erddapId ? { dataset_id: erddapId } : {}),
        ...(i % 13 === 0 ? { active: false } : {}),
        options: { reloadEveryNMinutes: [10, 60, 1440, 7][i % 4], ...(i % 11 === 0 ? { iso19115File: '' } : {}) },
      }],
      ...(i % 3 === 0 ? { thredds: [thredds(i, id, gridded)] } : {}),
      ckan: ckan(i),
    },
    ...(i % 2 === 0 ? { schedule: ['H/6 * * * *', 'H * * * *', 'H H/3 * * *', 'H 2,8,14,20 * * *', '15 4 * * 1'][i % 5] } : {}),
  };
  return record;
}

function attributes(i: number, gridded: boolean): Record<string, unknown> {
  const lat = 40 + (i % 50) / 10;
  const lon = -70 + (i % 30) / 10;
  const box = i % 10 === 7
    ? { geospatial_lon_min: 280, geospatial_lon_max: 300, geospatial_lat_min: -10, geospatial_lat_max: 10 }
    : i % 31 === 30
      ? { geospatial_lon_min: 1e-7, geospatial_lon_max: 0.5, geospatial_lat_min: -2.5e-8, geospatial_lat_max: 0 }
    : gridded
      ? { geospatial_lon_min: lon - 2, geospatial_lon_max: lon, geospatial_lat_min: lat - 1, geospatial_lat_max: lat }
      : { geospatial_lon_min: lon, geospatial_lon_max: lon, geospatial_lat_min: lat, geospatial_lat_max: lat };
  return {
    cdm_data_type: gridded ? 'Grid' : 'TimeSeries',
    infoUrl: i % 8 === 5 ? 'not a url' : `https://info.example.org/platform/${i}?a=1&b=<2>`,
    creator_name: i % 4 === 1 ? `Lab ${i} "R&D" <ops>` : `Lab ${i}`,
    ...(i % 4 === 2 ? {} : { creator_email: i % 17 === 3 ? 'not-an-email@' : `lab${i}@example.org` }),
    ...(i % 6 === 1 ? {} : { time_coverage_start: '2020-01-01T00:00:00Z' }),
    ...(i % 8 === 0 ? { time_coverage_end: '2021-06-30' } : {}),
    ...(i % 5 === 2 ? { date_created: '2019-03-04', date_modified: '2024-05-06T07:08:09+02:00' } : {}),
    // An inactive ERDDAP dataset has no reload interval to tell how often it changes: give it a date.
    ...(i % 13 === 0 ? { date_created: '2018-01-02' } : {}),
    ...(i % 19 === 4 ? {} : box),
  };
}

function variables(i: number, gridded: boolean): unknown[] {
  if (i % 10 === 9) return [];
  const lonLat = i % 7 !== 6;
  return [
    { name: 'time', type: 'double', units: 'seconds since 1970-01-01T00:00:00Z', ...(gridded ? { axis: true } : {}), attributes: { standard_name: 'time', ioos_category: 'Time' } },
    ...(lonLat ? [
      { name: 'latitude', type: 'double', units: 'degrees_north', ...(gridded ? { axis: true } : {}), attributes: { standard_name: 'latitude', ioos_category: 'Location' } },
      { name: 'longitude', type: 'double', units: 'degrees_east', ...(gridded ? { axis: true } : {}), attributes: { standard_name: 'longitude', ioos_category: 'Location' } },
    ] : []),
    { name: 'temp', type: 'float', units: 'degree_Celsius', attributes: { standard_name: 'sea_water_temperature', ioos_category: 'Temperature' } },
  ];
}

function thredds(i: number, id: string, gridded: boolean): Record<string, unknown> {
  const kind = i % 4;
  const path = `group${i % 7}/${id.replace(/\./g, '_')}${kind === 0 ? '.nc' : ''}`;
  return {
    server: i % 2 === 0 ? 'tds' : 'bare',
    path,
    data_type: gridded ? 'Grid' : 'Station',
    ...(kind === 1 ? { options: { datasetScan: { location: `/data/${path}` } } } : {}),
    ...(kind === 2 ? { services: ['opendap', 'wms'] } : {}),
    ...(kind === 3 && gridded ? { options: { featureCollection: { featureType: 'FMRC', collection: { spec: `/data/${path}/.*\\.nc$` } } } } : {}),
  };
}

function ckan(i: number): unknown[] {
  const first = { server: 'public', ...(i % 23 === 5 ? { name: `custom-name-${i}`, groups: ['buoys', 'gulf-of-maine'], extras: { ra_region: 'north', spatial_note: `box ${i}` } } : {}) };
  if (i % 5 === 4) return [first, { server: 'mirror' }];
  return i % 29 === 28 ? [] : [first];
}
