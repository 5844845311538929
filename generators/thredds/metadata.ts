// The THREDDS metadata a dataset carries, from its catalog record: documentation, keywords,
// creator and publisher, geospatial and time coverage (ACDD attribute names), dataType and
// dataFormat. Everything goes into one `<metadata inherited="true">`, so the files of a
// datasetScan and the members of a featureCollection get it too.
import type { Dataset, ThreddsService } from '../../schemas/catalog.js';
import type { AttributeValue } from '../../schemas/model.js';
import { el, type XmlElement } from './xml.js';

/** ACDD/ERDDAP cdm_data_type -> THREDDS dataType (netCDF-Java FeatureType names). */
const DATA_TYPE_FROM_CDM: Record<string, string> = {
  grid: 'Grid',
  point: 'Point',
  timeseries: 'Station',
  profile: 'Profile',
  trajectory: 'Trajectory',
  timeseriesprofile: 'Station_Profile',
  trajectoryprofile: 'Trajectory_Profile',
};

/** FeatureTypes served by the point services (netCDF-Java FeatureType.isPointFeatureType). */
const POINT_TYPES = new Set(['point', 'any_point', 'station', 'profile', 'trajectory', 'section', 'station_profile', 'trajectory_profile']);

const FORMAT_FROM_EXTENSION: Record<string, string> = {
  nc: 'NetCDF', cdf: 'NetCDF', nc4: 'NetCDF-4', ncml: 'NcML', grib: 'GRIB-1', grb: 'GRIB-1', grib2: 'GRIB-2', grb2: 'GRIB-2',
  h5: 'HDF5', hdf5: 'HDF5', he5: 'HDF5', hdf: 'HDF4', bufr: 'BUFR',
};

export function dataTypeOf(dataset: Dataset, service: ThreddsService): string | undefined {
  if (service.data_type !== undefined) return service.data_type;
  const cdm = scalarText(dataset.attributes.cdm_data_type);
  return cdm === undefined ? undefined : DATA_TYPE_FROM_CDM[cdm.toLowerCase()];
}

export function isPointType(dataType: string | undefined): boolean {
  return dataType !== undefined && POINT_TYPES.has(dataType.toLowerCase());
}

export function dataFormatOf(service: ThreddsService, urlPath: string): string | undefined {
  if (service.data_format !== undefined) return service.data_format;
  const extension = /\.([A-Za-z0-9]+)$/.exec(urlPath)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : FORMAT_FROM_EXTENSION[extension];
}

export interface MetadataInput {
  serviceName?: string;
  dataType?: string;
  dataFormat?: string;
}

/** `<metadata inherited="true">` for a dataset, or undefined when there is nothing to say. */
export function inheritedMetadata(dataset: Dataset, input: MetadataInput): XmlElement | undefined {
  const a = dataset.attributes;
  const children: XmlElement[] = [];
  const add = (element: XmlElement | undefined) => {
    if (element) children.push(element);
  };
  if (input.serviceName !== undefined) add(el('serviceName', {}, [input.serviceName]));
  const authority = scalarText(a.naming_authority);
  if (authority !== undefined) add(el('authority', {}, [authority]));
  if (input.dataType !== undefined) add(el('dataType', {}, [input.dataType]));
  if (input.dataFormat !== undefined) add(el('dataFormat', {}, [input.dataFormat]));
  if (dataset.summary !== undefined && dataset.summary.trim() !== '') add(el('documentation', { type: 'summary' }, [dataset.summary]));
  const license = scalarText(a.license);
  if (license !== undefined) add(el('documentation', { type: 'rights' }, [license]));
  const infoUrl = scalarText(a.infoUrl);
  if (infoUrl !== undefined) add(el('documentation', { 'xlink:href': infoUrl, 'xlink:title': 'More information' }));
  for (const keyword of dataset.keywords) add(el('keyword', {}, [keyword]));
  add(party('creator', a));
  add(party('publisher', a));
  add(geospatialCoverage(a));
  add(timeCoverage(a));
  return children.length > 0 ? el('metadata', { inherited: 'true' }, children) : undefined;
}

/** `<creator>`/`<publisher>`: the schema needs a name and a contact email. */
function party(role: 'creator' | 'publisher', a: Dataset['attributes']): XmlElement | undefined {
  const name = scalarText(a[`${role}_name`]);
  const email = scalarText(a[`${role}_email`]);
  if (name === undefined || email === undefined) return undefined;
  return el(role, {}, [el('name', {}, [name]), el('contact', { email, url: scalarText(a[`${role}_url`]) })]);
}

function geospatialCoverage(a: Dataset['attributes']): XmlElement | undefined {
  const northsouth = range(a.geospatial_lat_min, a.geospatial_lat_max, 'degrees_north', false);
  const eastwest = range(a.geospatial_lon_min, a.geospatial_lon_max, 'degrees_east', true);
  const updown = range(a.geospatial_vertical_min, a.geospatial_vertical_max, scalarText(a.geospatial_vertical_units) ?? 'm', false);
  if (!northsouth && !eastwest && !updown) return undefined;
  const positive = scalarText(a.geospatial_vertical_positive)?.toLowerCase();
  const children = [
    ...(northsouth ? [el('northsouth', {}, northsouth)] : []),
    ...(eastwest ? [el('eastwest', {}, eastwest)] : []),
    ...(updown ? [el('updown', {}, updown)] : []),
  ];
  return el('geospatialCoverage', { zpositive: updown && (positive === 'up' || positive === 'down') ? positive : undefined }, children);
}

/** start and size of a range; longitudes crossing the antimeridian (min > max, as ACDD allows) wrap. */
function range(minValue: AttributeValue | undefined, maxValue: AttributeValue | undefined, units: string, wraps: boolean): XmlElement[] | undefined {
  const min = decimalText(minValue);
  const max = decimalText(maxValue);
  if (min === undefined || max === undefined) return undefined;
  let size = subtractDecimals(max, min);
  if (size.startsWith('-')) {
    if (!wraps) return undefined;
    size = subtractDecimals(addDecimals(max, '360'), min);
  }
  return [el('start', {}, [min]), el('size', {}, [size]), el('units', {}, [units])];
}

/** Two of start, end, duration; a dataset with only a start is ongoing (`end` = present). */
function timeCoverage(a: Dataset['attributes']): XmlElement | undefined {
  const start = scalarText(a.time_coverage_start);
  const end = scalarText(a.time_coverage_end);
  const duration = scalarText(a.time_coverage_duration);
  const resolution = scalarText(a.time_coverage_resolution);
  const parts: XmlElement[] = [];
  if (start !== undefined) parts.push(el('start', {}, [start]));
  if (end !== undefined) parts.push(el('end', {}, [end]));
  if (duration !== undefined && parts.length < 2) parts.push(el('duration', {}, [duration]));
  if (parts.length === 1 && start !== undefined) parts.push(el('end', {}, ['present']));
  if (parts.length < 2) return undefined;
  if (resolution !== undefined) parts.push(el('resolution', {}, [resolution]));
  return el('timeCoverage', {}, parts);
}

/** A single attribute value as text; lists and `{ value, type }` give their scalar, empty strings nothing. */
export function scalarText(value: AttributeValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object' && !Array.isArray(value)) return scalarText(value.value);
  if (Array.isArray(value)) return value.length === 1 ? scalarText(value[0]) : undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

function decimalText(value: AttributeValue | undefined): string | undefined {
  const text = scalarText(value);
  return text !== undefined && DECIMAL.test(text) ? text : undefined;
}

/** Exact decimal arithmetic on the numbers as written, so 44.1019 - 44.1 is 0.0019, not 0.0019000000000033. */
interface Scaled {
  units: bigint;
  scale: number;
}

function toScaled(text: string): Scaled {
  const [, sign, whole, fraction = '', exponent = '0'] = DECIMAL.exec(text) as RegExpExecArray;
  let digits = whole + fraction;
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  const units = BigInt(digits);
  return { units: sign === '-' ? -units : units, scale };
}

function combine(a: string, b: string, sign: 1n | -1n): string {
  const x = toScaled(a);
  const y = toScaled(b);
  const scale = Math.max(x.scale, y.scale);
  const units = x.units * 10n ** BigInt(scale - x.scale) + sign * y.units * 10n ** BigInt(scale - y.scale);
  return fromScaled(units, scale);
}

function fromScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

export const subtractDecimals = (a: string, b: string): string => combine(a, b, -1n);
export const addDecimals = (a: string, b: string): string => combine(a, b, 1n);
