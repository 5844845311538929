// One synthetic dataset record per kind of thing a regional association publishes, written the
// way CATALOG.md and the example catalog (catalog/) write them. Every value respects the rules
// steller and the target systems check (ERDDAP DSG attributes, ioos_category on every variable,
// QARTOD spans and thresholds, unique ids and THREDDS paths), so a catalog of any size is clean.
import type { Random } from './random.js';
import { roundTo } from './random.js';
import {
  BUOY_OPERATORS, COOPS, GLIDER_DAC, HOHONU, MODELLERS, NDBC, PLACES, PORTS, REMOTE_GRIDS, SATELLITE_LABS, type Provider,
} from './providers.js';
import {
  ATMOSPHERE_MODEL, MET, OCEAN_BY_DEPTH, OCEAN_MODEL, OCEAN_SURFACE, SATELLITE, TIDE_STATION_EXTRAS, WATER_LEVEL_MLLW,
  WATER_LEVEL_NAVD88, type Measurement,
} from './variables.js';
import { flow, type Flow, type Mapping, type Value } from './yaml-text.js';

export const KIND_WEIGHTS = {
  'buoy': 38,
  'adcp': 4,
  'ndbc': 4,
  'ports': 4,
  'tide-coops': 10,
  'tide-hohonu': 6,
  'model': 10,
  'satellite': 10,
  'mirror-table': 8,
  'mirror-grid': 6,
} as const;
export type Kind = keyof typeof KIND_WEIGHTS;

export interface SyntheticDataset {
  kind: Kind;
  /** Path relative to the catalog folder. */
  file: string;
  record: Mapping;
}

export interface Draw {
  /** Position in the catalog; part of every id, which makes ids unique without bookkeeping. */
  index: number;
  rng: Random;
  /** The RA's domain, for its own server URLs. */
  domain: string;
}

export const BUILDERS: Record<Kind, (draw: Draw) => SyntheticDataset> = {
  'buoy': buoy,
  'adcp': adcp,
  'ndbc': ndbc,
  'ports': portsStation,
  'tide-coops': coopsTideGauge,
  'tide-hohonu': hohonuTideGauge,
  'model': modelRun,
  'satellite': satelliteProduct,
  'mirror-table': gliderMirror,
  'mirror-grid': gridMirror,
};

const pad = (index: number): string => String(index).padStart(5, '0');
const platformCode = (provider: Provider, index: number): string => `${provider.prefix}${pad(index)}`;

// ---------------------------------------------------------------- variables

const TIME = flow({ name: 'time', type: 'double', units: 'seconds since 1970-01-01T00:00:00Z', attributes: { standard_name: 'time', ioos_category: 'Time' } });
const STATION = flow({ name: 'station', type: 'String', attributes: { cf_role: 'timeseries_id', ioos_category: 'Identifier' } });
const LATITUDE = flow({ name: 'latitude', type: 'double', units: 'degrees_north', attributes: { standard_name: 'latitude', ioos_category: 'Location' } });
const LONGITUDE = flow({ name: 'longitude', type: 'double', units: 'degrees_east', attributes: { standard_name: 'longitude', ioos_category: 'Location' } });
const DEPTH = flow({ name: 'depth', type: 'float', units: 'm', attributes: { standard_name: 'depth', positive: 'down', ioos_category: 'Location' } });
const TIME_SERIES_IDENTIFIERS = [TIME, STATION, LATITUDE, LONGITUDE];

function measured(m: Measurement, sourceName?: string): Flow {
  return flow({
    name: m.name,
    source_name: sourceName,
    type: 'float',
    units: m.units,
    attributes: { standard_name: m.standardName, long_name: m.longName, ioos_category: m.ioosCategory },
  });
}

function gridAxes(withDepth: boolean): Flow[] {
  const axis = (name: string, source: string | undefined, type: string, units: string, attributes: Mapping) =>
    flow({ name, source_name: source, type, units, axis: true, attributes });
  return [
    axis('time', undefined, 'double', 'seconds since 1970-01-01T00:00:00Z', { standard_name: 'time', ioos_category: 'Time' }),
    ...(withDepth ? [axis('depth', 'siglay', 'float', 'm', { standard_name: 'depth', positive: 'down', ioos_category: 'Location' })] : []),
    axis('latitude', 'lat', 'float', 'degrees_north', { standard_name: 'latitude', ioos_category: 'Location' }),
    axis('longitude', 'lon', 'float', 'degrees_east', { standard_name: 'longitude', ioos_category: 'Location' }),
  ];
}

// ---------------------------------------------------------------- attributes

interface Position {
  lat: number;
  lon: number;
}

const position = (rng: Random): Position => ({ lat: rng.decimal(40.5, 45, 4), lon: rng.decimal(-71.5, -65.5, 4) });
const startDate = (rng: Random): string => `${rng.int(1995, 2023)}-${String(rng.int(1, 12)).padStart(2, '0')}-01T00:00:00Z`;

function creator(provider: Provider): Mapping {
  return { creator_name: provider.creatorName, creator_email: provider.creatorEmail, creator_url: provider.creatorUrl };
}

function stationAttributes(provider: Provider, infoPath: string, at: Position, rng: Random, extra: Mapping = {}): Mapping {
  return {
    cdm_data_type: 'TimeSeries',
    cdm_timeseries_variables: 'station,latitude,longitude',
    featureType: 'TimeSeries',
    infoUrl: `${provider.creatorUrl}${infoPath}`,
    ...creator(provider),
    ...extra,
    geospatial_lat_min: at.lat,
    geospatial_lat_max: at.lat,
    geospatial_lon_min: at.lon,
    geospatial_lon_max: at.lon,
    time_coverage_start: startDate(rng),
  };
}

function gridAttributes(provider: Provider, infoPath: string, rng: Random): Mapping {
  const south = rng.decimal(38, 42, 1);
  const west = rng.decimal(-76, -70, 1);
  return {
    cdm_data_type: 'Grid',
    infoUrl: `${provider.creatorUrl}${infoPath}`,
    ...creator(provider),
    geospatial_lat_min: south,
    geospatial_lat_max: roundTo(south + rng.decimal(3, 8, 1), 1),
    geospatial_lon_min: west,
    geospatial_lon_max: roundTo(west + rng.decimal(4, 10, 1), 1),
    time_coverage_start: startDate(rng),
  };
}

// ---------------------------------------------------------------- QC (ioos_qc contexts form)

// No `aggregate: null` (the seed's habit): ioos_qc ignores it since 2.0 and steller warns about
// it, and a synthetic catalog is meant to be clean.
interface QcOptions {
  /** Per-stream suspect span override (seasonal limits). */
  suspect?: readonly [number, number];
}

/** A suspect span moved inward by up to 5% at each end: operators tune limits per station. */
function tunedSuspect(m: Measurement, rng: Random): [number, number] {
  const [low, high] = m.qc!.suspect;
  const [failLow, failHigh] = m.qc!.fail;
  if (low === failLow && high === failHigh) return [low, high];
  const width = high - low;
  return [roundTo(low + rng.next() * 0.05 * width, 2), roundTo(high - rng.next() * 0.05 * width, 2)];
}

function qartodTests(m: Measurement, rng: Random, options: QcOptions = {}): Mapping {
  const limits = m.qc!;
  const tests: Mapping = {};
  tests.gross_range_test = flow({ suspect_span: [...(options.suspect ?? tunedSuspect(m, rng))], fail_span: [...limits.fail] });
  if (limits.spike && rng.chance(0.7)) {
    const [suspect, fail] = limits.spike;
    tests.spike_test = flow({ suspect_threshold: suspect, fail_threshold: fail, method: m.ioosCategory === 'Temperature' && rng.chance(0.5) ? 'differential' : undefined });
  }
  if (limits.rateOfChange && rng.chance(0.5)) {
    tests.rate_of_change_test = flow({ threshold: limits.rateOfChange, fail_threshold: rng.chance(0.4) ? roundTo(limits.rateOfChange * 2, 6) : undefined });
  }
  if (limits.flatLineTolerance && rng.chance(0.5)) {
    const suspectSeconds = 3600 * rng.int(1, 4);
    tests.flat_line_test = flow({ tolerance: limits.flatLineTolerance, suspect_threshold: suspectSeconds, fail_threshold: suspectSeconds * 2 });
  }
  return tests;
}

function streams(measurements: readonly Measurement[], rng: Random, options: QcOptions = {}): Mapping {
  return Object.fromEntries(measurements.map((m) => [m.name, { qartod: qartodTests(m, rng, options) }]));
}

/**
 * QC for the streams that have limits: one context for all of them, or, for some stations,
 * seasonal limits for the temperature streams in two windowed contexts (start inclusive, end
 * exclusive in ioos_qc) and the other streams in an unwindowed one, so no stream is checked twice.
 */
function qcBlock(candidates: readonly Measurement[], rng: Random, seasonal: boolean): Mapping | undefined {
  const withLimits = candidates.filter((m) => m.qc);
  if (withLimits.length === 0) return undefined;
  const chosen = rng.sample(withLimits, Math.min(withLimits.length, rng.int(3, 8)));
  const windowed = seasonal ? chosen.filter((m) => m.ioosCategory === 'Temperature') : [];
  const contexts: Value[] = [];
  if (windowed.length > 0) {
    const year = rng.int(2018, 2024);
    const [low, high] = windowed[0].qc!.suspect;
    const split = (f: number) => roundTo(low + f * (high - low), 2);
    contexts.push(
      { window: flow({ starting: `${year}-01-01T00:00:00Z`, ending: `${year}-06-01T00:00:00Z` }), streams: streams(windowed, rng, { suspect: [low, split(0.6)] }) },
      { window: flow({ starting: `${year}-06-01T00:00:00Z`, ending: `${year + 1}-01-01T00:00:00Z` }), streams: streams(windowed, rng, { suspect: [split(0.15), high] }) },
    );
  }
  const rest = chosen.filter((m) => !windowed.includes(m));
  if (rest.length > 0) contexts.push({ streams: streams(rest, rng) });
  return { qartod: { contexts } };
}

// ---------------------------------------------------------------- jobs and services

function buoySchedule(rng: Random): string {
  return rng.pick(['H * * * *', 'H * * * *', 'H/10 * * * *', 'H/30 * * * *']);
}

function mainErddap(rng: Random, domain: string): string {
  // Most records name the server by key; some by URL, as the seed's record does.
  return rng.chance(0.8) ? 'data' : rng.pick([`data.${domain}/erddap/`, `https://data.${domain}/erddap/`]);
}

function ckanServices(rng: Random, group: string, extras?: Mapping): Value[] {
  return [flow({ server: 'catalog', groups: rng.chance(0.3) ? [group] : undefined, extras: rng.chance(0.2) ? extras : undefined })];
}

/** ERDDAP ignores a reload flag without its flagKey, so a job that sets the flag gets the key too. */
const ERDDAP_FLAG_KEY = flow({ env: 'ERDDAP_FLAG_KEY', key: '/synthetic-ra/erddap/flag_key' });

function jobSettings(rng: Random): Mapping {
  if (rng.chance(0.15)) return { kubernetes: { resources: flow({ requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } }) } };
  if (rng.chance(0.1)) return { kubernetes: { erddap_flag: true }, secrets: [ERDDAP_FLAG_KEY] };
  return {};
}

// ---------------------------------------------------------------- the kinds

/** A moored buoy with met and ocean sensors: 10-30 variables, QC on several of them. */
function buoy({ index, rng, domain }: Draw): SyntheticDataset {
  const provider = rng.pick(BUOY_OPERATORS);
  const platform = platformCode(provider, index);
  const place = rng.pick(PLACES);
  const measuredCount = rng.int(6, 26);
  const oceanPool = [...OCEAN_SURFACE, ...OCEAN_BY_DEPTH.flat()];
  const metCount = rng.int(Math.max(0, measuredCount - oceanPool.length), Math.min(MET.length, measuredCount));
  const sensors = [...rng.sample(MET, metCount), ...rng.sample(oceanPool, measuredCount - metCount)];
  const pkg = metCount === measuredCount ? 'met' : metCount === 0 ? 'ocean' : 'metocean';
  const id = `${platform}_${pkg}`;
  const erddap: Value[] = [{
    server: mainErddap(rng, domain),
    type: rng.pick(['EDDTableFromNcFiles', 'EDDTableFromNcCFFiles']),
    options: flow({ fileDir: `${provider.folder}/${platform}/${pkg}`, fileNameRegex: `${platform}_${pkg}_.*\\.nc`, recursive: true, reloadEveryNMinutes: 60 }),
  }];
  if (rng.chance(0.1)) {
    erddap.push({ server: 'sensors', dataset_id: `${id}_rt`, type: 'tabledap', options: flow({ fileDir: `realtime/${platform}`, fileNameRegex: '.*\\.nc', reloadEveryNMinutes: 10 }) });
  }
  return {
    kind: 'buoy',
    file: `datasets/${provider.folder}/buoys/${id}.yaml`,
    record: {
      title: `${provider.prefix} Buoy ${platform} - ${place} - ${pkg === 'met' ? 'Meteorological' : pkg === 'ocean' ? 'Ocean' : 'Meteorological and Ocean'} Data`,
      summary: `Synthetic benchmark record: hourly observations from ${sensors.length} sensors on buoy ${platform} in ${place}, operated by ${provider.creatorName}.`,
      keywords: ['buoy', place, ...new Set(sensors.slice(0, 4).map((m) => m.longName.toLowerCase()))],
      attributes: stationAttributes(provider, `platform/${platform}`, position(rng), rng, {
        platform: 'buoy',
        wmo_platform_code: rng.chance(0.3) ? 44000 + (index % 1000) : undefined,
      }),
      source: { url: `${provider.sourceUrl}buoys/`, type: provider.sourceType, parameters: flow({ platform, package: pkg }) },
      schedule: buoySchedule(rng),
      retry: rng.chance(0.1) ? flow({ max_retries: 5, delay: 300 }) : undefined,
      ...jobSettings(rng),
      variables: [...TIME_SERIES_IDENTIFIERS, ...sensors.map((m) => measured(m))],
      services: { erddap, ckan: ckanServices(rng, 'buoys', { platform_type: 'moored buoy' }) },
      qc: qcBlock(sensors, rng, rng.chance(0.25)),
    },
  };
}

/** A buoy's downward-looking ADCP: a TimeSeriesProfile dataset, also on THREDDS. */
function adcp({ index, rng }: Draw): SyntheticDataset {
  const provider = rng.pick(BUOY_OPERATORS);
  const platform = platformCode(provider, index);
  const id = `${platform}_adcp`;
  const velocity = (name: string, standardName: string, longName: string): Measurement => ({
    name, standardName, longName, units: 'cm s-1', ioosCategory: 'Currents',
    qc: { suspect: [-150, 150], fail: [-250, 250], rateOfChange: 0.05 },
  });
  const currents = [velocity('u', 'eastward_sea_water_velocity', 'Eastward Velocity'), velocity('v', 'northward_sea_water_velocity', 'Northward Velocity')];
  if (rng.chance(0.5)) currents.push(velocity('w', 'upward_sea_water_velocity', 'Upward Velocity'));
  return {
    kind: 'adcp',
    file: `datasets/${provider.folder}/buoys/${id}.yaml`,
    record: {
      title: `${provider.prefix} Buoy ${platform} - ${rng.pick(PLACES)} - Current Profiles (ADCP)`,
      summary: `Synthetic benchmark record: hourly current profiles from a 300 kHz ADCP on buoy ${platform}.`,
      keywords: ['currents', 'adcp', 'profile', 'buoy'],
      attributes: {
        ...stationAttributes(provider, `platform/${platform}`, position(rng), rng),
        cdm_data_type: 'TimeSeriesProfile',
        cdm_profile_variables: 'profile_id',
        featureType: 'TimeSeriesProfile',
      },
      source: { url: `${provider.sourceUrl}buoys/`, type: provider.sourceType, parameters: flow({ platform, package: 'adcp' }) },
      schedule: 'H H/3 * * *',
      variables: [
        TIME, STATION,
        flow({ name: 'profile_id', type: 'int', attributes: { cf_role: 'profile_id', ioos_category: 'Identifier' } }),
        LATITUDE, LONGITUDE, DEPTH,
        ...currents.map((m) => measured(m, `${m.standardName.split('_')[0]}_velocity`)),
      ],
      services: {
        erddap: [{
          server: 'data',
          type: 'EDDTableFromMultidimNcFiles',
          options: flow({ fileDir: `${provider.folder}/${platform}/adcp`, fileNameRegex: `${platform}_adcp_.*\\.nc`, recursive: true, reloadEveryNMinutes: 180 }),
        }],
        thredds: [flow({ server: 'data', path: `${provider.folder}/${id}.nc`, data_type: 'Station', data_format: 'NetCDF' })],
        ckan: ckanServices(rng, 'currents'),
      },
      qc: { qartod: { contexts: [{ streams: streams(currents, rng) }] } },
    },
  };
}

const NDBC_CODES: Record<string, string> = {
  air_temperature: 'ATMP', barometric_pressure: 'PRES', wind_speed: 'WSPD', wind_gust: 'GST', wind_direction: 'WDIR',
  dew_point_temperature: 'DEWP', visibility: 'VIS', significant_wave_height: 'WVHT', dominant_wave_period: 'DPD', mean_wave_direction: 'MWD',
};

/** An NDBC station read from its OPeNDAP sequence server: no harvest job, no QC of our own. */
function ndbc({ index, rng }: Draw): SyntheticDataset {
  const station = String(40000 + index);
  const id = `ndbc_${station}`;
  const sensors = rng.sample(MET.filter((m) => NDBC_CODES[m.name]), rng.int(6, 10));
  return {
    kind: 'ndbc',
    file: `datasets/${NDBC.folder}/stations/${id}.yaml`,
    record: {
      title: `NDBC Station ${station} - ${rng.pick(PLACES)} - Standard Meteorological Data`,
      summary: `Synthetic benchmark record: standard meteorological data from NDBC station ${station}, read from NDBC's OPeNDAP sequence server.`,
      keywords: ['NDBC', 'meteorology', 'waves', 'buoy'],
      attributes: stationAttributes(NDBC, `station_page.php?station=${station}`, position(rng), rng),
      variables: [
        TIME, STATION,
        flow({ name: 'latitude', source_name: 'lat', type: 'float', units: 'degrees_north', attributes: { standard_name: 'latitude', ioos_category: 'Location' } }),
        flow({ name: 'longitude', source_name: 'lon', type: 'float', units: 'degrees_east', attributes: { standard_name: 'longitude', ioos_category: 'Location' } }),
        ...sensors.map((m) => measured(m, NDBC_CODES[m.name])),
      ],
      services: {
        erddap: [{
          server: 'data',
          type: 'EDDTableFromDapSequence',
          options: {
            sourceUrl: `https://dods.ndbc.example.org/thredds/dodsC/data/stdmet/${station}/${station}h9999.nc`,
            outerSequenceName: 's',
            sourceNeedsExpandedFP_EQ: true,
            reloadEveryNMinutes: 60,
          },
        }],
        ckan: ckanServices(rng, 'buoys'),
      },
    },
  };
}

/** A PORTS currents station in the seed's own form: provider templates, ids written out, a secret. */
function portsStation({ index, rng, domain }: Draw): SyntheticDataset {
  const code = platformCode(PORTS, index);
  const id = `PORTS_${code}_realtime`;
  const speed: Measurement = { name: 'CS', standardName: 'sea_water_speed', units: 'cm s-1', ioosCategory: 'Currents', longName: 'Current Speed', qc: { suspect: [10, 220], fail: [0.5, 249], spike: [3, 4], flatLineTolerance: 0.01 } };
  const direction: Measurement = { name: 'CD', standardName: 'direction_of_sea_water_velocity', units: 'degree', ioosCategory: 'Currents', longName: 'Current Direction', qc: { suspect: [0, 360], fail: [0, 360] } };
  const byTemplate = rng.chance(0.5);
  return {
    kind: 'ports',
    file: `datasets/${PORTS.folder}/stations/${code}_currents.yaml`,
    record: {
      id,
      title: `NOS CO-OPS Currents Data, ${rng.pick(PLACES)}, Station ${code}, 6-Minute`,
      summary: `Synthetic benchmark record: near real-time currents at PORTS station ${code}.`,
      keywords: ['currents', 'ports'],
      attributes: stationAttributes(PORTS, `ports/index.html?port=${code.toLowerCase()}`, position(rng), rng),
      source: { url: 'https://api.tidesandcurrents.example.org/api/prod/datagetter', parameters: flow({ station: code.toLowerCase(), product: 'currents', units: 'metric', time_zone: 'gmt' }) },
      schedule: 'H/6 * * * *',
      retry: flow({ max_retries: 3, delay: 120, backoff: 'exponential', jitter: 'plus_minus' }),
      secrets: [flow({ env: 'API_KEY', key: '/synthetic-ra/coops/api_key' })],
      variables: [
        flow({ name: 'time', source_name: 't', type: 'double', units: 'seconds since 1970-01-01T00:00:00Z', attributes: { standard_name: 'time', ioos_category: 'Time' } }),
        STATION, LATITUDE, LONGITUDE, measured(speed), measured(direction),
      ],
      services: {
        erddap: [{
          server: `data.${domain}/erddap/`,
          template_file: '../erddap.xml.jinja',
          dataset_id: byTemplate ? undefined : id,
          dataset_id_template: byTemplate ? '{{ dataset.id }}' : id,
          type: 'tabledap',
        }],
        thredds: [{ server: `data.${domain}/thredds/`, template_file: '../thredds.xml.jinja', dataset_id: id, path: `ports/${id}` }],
        ckan: [flow({ server: 'catalog' })],
      },
      qc: { qartod: { contexts: [{ streams: streams([speed, direction], rng) }] } },
    },
  };
}

/** A NOAA CO-OPS water-level station: six-minute harvest, full QARTOD suite on water level. */
function coopsTideGauge({ index, rng }: Draw): SyntheticDataset {
  const station = String(8400000 + index);
  const id = `coops_${station}`;
  const extras = rng.sample(TIDE_STATION_EXTRAS, rng.int(0, TIDE_STATION_EXTRAS.length));
  const place = rng.pick(PLACES);
  return {
    kind: 'tide-coops',
    file: `datasets/${COOPS.folder}/tides/${id}.yaml`,
    record: {
      id,
      title: `${place} Tide Gauge (NOAA CO-OPS ${station}) - Water Level, 6-Minute`,
      summary: `Synthetic benchmark record: six-minute water levels relative to MLLW at ${place}, station ${station}.`,
      keywords: ['water level', 'tides', place, 'tide gauge'],
      attributes: stationAttributes(COOPS, `stationhome.html?id=${station}`, position(rng), rng, { tidal_station_datum: 'MLLW' }),
      source: {
        url: 'https://api.tidesandcurrents.example.org/api/prod/datagetter',
        parameters: flow({ station, product: 'water_level', datum: 'MLLW', units: 'metric', time_zone: 'gmt' }),
      },
      schedule: 'H/6 * * * *',
      time_zone: rng.chance(0.3) ? 'America/New_York' : undefined,
      retry: flow({ max_retries: 5, delay: 60 }),
      variables: [...TIME_SERIES_IDENTIFIERS, measured(WATER_LEVEL_MLLW, 'v'), ...extras.map((m) => measured(m))],
      services: {
        erddap: [{
          server: 'data',
          type: 'EDDTableFromAsciiFiles',
          options: { fileDir: `tides/${station}`, fileNameRegex: `${station}_.*\\.csv`, columnNamesRow: 1, firstDataRow: 2, charset: 'UTF-8', reloadEveryNMinutes: 6 },
        }],
        ckan: ckanServices(rng, 'water-levels'),
      },
      qc: { qartod: { contexts: [{ streams: { ...streams([WATER_LEVEL_MLLW], rng), ...streams(extras, rng) } }] } },
    },
  };
}

/** A community water-level sensor, on the real-time ERDDAP, with an API key by reference. */
function hohonuTideGauge({ index, rng }: Draw): SyntheticDataset {
  const id = `hohonu_${pad(index)}`;
  const place = rng.pick(PLACES);
  return {
    kind: 'tide-hohonu',
    file: `datasets/${HOHONU.folder}/${id}.yaml`,
    record: {
      title: `Hohonu Tide Sensor ${pad(index)} - ${place}`,
      summary: `Synthetic benchmark record: low-cost acoustic water-level sensor in ${place}, referenced to NAVD88.`,
      keywords: ['water level', 'tides', 'community sensor', place],
      attributes: stationAttributes(HOHONU, `stations/${id}`, position(rng), rng),
      source: { url: `${HOHONU.sourceUrl}stations/hohonu-${index}/statistic`, type: HOHONU.sourceType, parameters: flow({ station_id: `hohonu-${index}`, datum: 'NAVD88', cleaned: true }) },
      schedule: 'H/10 * * * *',
      secrets: [flow({ env: 'HOHONU_API_KEY', key: '/synthetic-ra/hohonu/api_key' }), ERDDAP_FLAG_KEY],
      kubernetes: { erddap_flag: true },
      variables: [...TIME_SERIES_IDENTIFIERS, measured(WATER_LEVEL_NAVD88)],
      services: {
        erddap: [{ server: 'sensors', dataset_id: id, type: 'tabledap', options: flow({ fileDir: `hohonu/${id}`, fileNameRegex: '.*\\.nc', reloadEveryNMinutes: 10 }) }],
        ckan: ckanServices(rng, 'water-levels'),
      },
      qc: { qartod: { contexts: [{ streams: streams([WATER_LEVEL_NAVD88], rng) }] } },
    },
  };
}

/** A forecast model run: griddap from the THREDDS FMRC, which a featureCollection serves. */
function modelRun({ index, rng, domain }: Draw): SyntheticDataset {
  const provider = rng.pick(MODELLERS);
  const atmosphere = provider.folder === 'umaine-wrf';
  const withDepth = !atmosphere && rng.chance(0.5);
  const pool = atmosphere ? ATMOSPHERE_MODEL : OCEAN_MODEL.filter((m) => !withDepth || !['zeta', 'hs'].includes(m.name));
  const fields = rng.sample(pool, rng.int(3, Math.min(8, pool.length)));
  const domainName = rng.pick(['gom3', 'mass_bay', 'casco', 'scituate', 'hampton']);
  const run = rng.pick(['forecast', 'nowcast', 'hindcast']);
  const id = `${provider.prefix.toLowerCase()}_${domainName}_${run}_${pad(index)}`;
  return {
    kind: 'model',
    file: `datasets/${provider.folder}/${id}.yaml`,
    record: {
      title: `${provider.creatorName} ${domainName.toUpperCase()} ${run} ${withDepth ? '3-D Fields' : 'Surface Fields'} (run ${pad(index)})`,
      summary: `Synthetic benchmark record: ${run} of ${fields.map((m) => m.longName.toLowerCase()).join(', ')} on the ${domainName} grid.`,
      keywords: ['model', run, domainName, ...fields.slice(0, 3).map((m) => m.longName.toLowerCase())],
      attributes: gridAttributes(provider, `models/${domainName}`, rng),
      source: { url: `${provider.sourceUrl}thredds/dodsC/${domainName}/${run}.nc` },
      schedule: rng.pick(['H 2,8,14,20 * * *', 'H H/6 * * *']),
      kubernetes: {
        resources: flow({ requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } }),
        active_deadline_seconds: 5400,
      },
      variables: [...gridAxes(withDepth), ...fields.map((m) => measured(m))],
      services: {
        erddap: [{
          server: 'data',
          dataset_id: id,
          type: 'EDDGridFromDap',
          options: flow({ sourceUrl: `https://data.${domain}/thredds/dodsC/models/${id}/best.ncd`, reloadEveryNMinutes: 360 }),
        }],
        thredds: [{
          server: 'data',
          dataset_id: id,
          path: `models/${id}`,
          group: provider.folder,
          data_type: 'Grid',
          options: {
            featureCollection: {
              featureType: 'FMRC',
              collection: flow({ spec: `/mnt/efs/models/${id}/${id}_#yyyyMMddHH#.nc$`, olderThan: '5 min' }),
            },
          },
        }],
        ckan: ckanServices(rng, 'models'),
      },
    },
  };
}

/** A daily satellite composite from local files, also browsable through a THREDDS datasetScan. */
function satelliteProduct({ index, rng }: Draw): SyntheticDataset {
  const provider = rng.pick(SATELLITE_LABS);
  const fields = rng.sample(SATELLITE, rng.int(1, 3));
  const sensor = rng.pick(['avhrr', 'viirs', 'modis', 'olci']);
  const id = `${sensor}_${fields[0].name}_${rng.pick(['gom', 'mab', 'nes'])}_${pad(index)}`;
  return {
    kind: 'satellite',
    file: `datasets/${provider.folder}/${id}.yaml`,
    record: {
      title: `${sensor.toUpperCase()} ${fields.map((m) => m.longName).join(' and ')}, Daily Composite (${pad(index)})`,
      summary: `Synthetic benchmark record: daily cloud-screened composites of ${fields.map((m) => m.longName.toLowerCase()).join(', ')} from ${sensor.toUpperCase()}.`,
      keywords: ['satellite', sensor.toUpperCase(), 'remote sensing', ...fields.map((m) => m.longName.toLowerCase())],
      attributes: gridAttributes(provider, `products/${id}`, rng),
      schedule: rng.chance(0.5) ? 'H H * * *' : undefined,
      source: { url: `${provider.sourceUrl}composites/${id}/`, type: provider.sourceType },
      variables: [...gridAxes(false), ...fields.map((m) => measured(m))],
      services: {
        erddap: [{
          server: 'data',
          type: 'EDDGridFromNcFiles',
          options: flow({ fileDir: `satellite/${id}`, fileNameRegex: `${id}_\\d{8}\\.nc`, recursive: false, reloadEveryNMinutes: 1440 }),
        }],
        thredds: [{
          server: 'data',
          path: `satellite/${id}`,
          data_type: 'Grid',
          options: { datasetScan: flow({ location: `/mnt/efs/datasets/satellite/${id}`, filter: { include: '.*\\.nc$' }, sort: 'decreasing' }) },
        }],
        ckan: ckanServices(rng, 'satellite'),
      },
    },
  };
}

/** A glider mission mirrored from the Glider DAC's ERDDAP: no variables, no job. */
function gliderMirror({ index, rng }: Draw): SyntheticDataset {
  const glider = `${rng.pick(['ru', 'sg', 'cp', 'sp'])}${pad(index)}`;
  const year = rng.int(2015, 2025);
  const month = String(rng.int(1, 12)).padStart(2, '0');
  const id = `${glider}_${year}${month}01`;
  return {
    kind: 'mirror-table',
    file: `datasets/${GLIDER_DAC.folder}/${id}.yaml`,
    record: {
      title: `Glider ${glider} - ${rng.pick(PLACES)} Mission, ${year}-${month}`,
      summary: `Synthetic benchmark record: temperature and salinity profiles from glider ${glider}, mirrored from the Glider DAC.`,
      keywords: ['glider', 'profiles', 'temperature', 'salinity'],
      attributes: {
        cdm_data_type: 'TrajectoryProfile',
        infoUrl: GLIDER_DAC.creatorUrl,
        ...creator(GLIDER_DAC),
        time_coverage_start: `${year}-${month}-01T00:00:00Z`,
      },
      services: {
        erddap: [{
          server: 'data',
          dataset_id: rng.chance(0.5) ? `${id}_delayed` : undefined,
          type: 'EDDTableFromErddap',
          options: flow({ sourceUrl: `https://gliders.example.org/erddap/tabledap/${glider}-${year}${month}01T0000-delayed`, reloadEveryNMinutes: 1440 }),
        }],
        ckan: ckanServices(rng, 'gliders'),
      },
    },
  };
}

const REMOTE_GRID_IDS = ['jplMURSST41', 'erdMH1chla8day', 'nesdisVHNSQchlaDaily', 'ncdcOisst21Agg', 'erdQSwind1day'] as const;

/** A gridded product mirrored from another ERDDAP, as the example's MUR SST is. */
function gridMirror({ index, rng }: Draw): SyntheticDataset {
  const remote = rng.pick(REMOTE_GRID_IDS);
  const id = `${remote}_${pad(index)}`;
  return {
    kind: 'mirror-grid',
    file: `datasets/${REMOTE_GRIDS.folder}/${id}.yaml`,
    record: {
      title: `${remote} regional subset ${pad(index)} (from NOAA CoastWatch)`,
      summary: `Synthetic benchmark record: the ${remote} gridded product, mirrored so regional users find it in this catalog.`,
      keywords: ['satellite', 'gridded', remote],
      attributes: gridAttributes(REMOTE_GRIDS, `erddap/griddap/${remote}.html`, rng),
      services: {
        erddap: [{
          server: 'data',
          dataset_id: id,
          type: 'EDDGridFromErddap',
          options: flow({ sourceUrl: `https://coastwatch.example.org/erddap/griddap/${remote}`, reloadEveryNMinutes: 1440 }),
        }],
        ckan: ckanServices(rng, 'satellite'),
      },
    },
  };
}
