// One dataset as the CKAN outputs see it, whatever the format: identifiers, text, parties, dates,
// extents, license and access points, each read once from the normalized catalog. The ISO, DCAT,
// data.json and package writers only arrange these values.
import type { Attributes, CkanServer } from '../../schemas/model.js';
import type { CkanService, Dataset, Project } from '../../schemas/catalog.js';
import { accessPoints, type AccessPoint } from './access.js';
import { isCkanUrl, isPortableEmail } from './ckan-rules.js';
import { tagsFrom } from './names.js';
import { safeUrl, serverBase } from './urls.js';

export interface Party {
  name: string;
  email?: string;
  url?: string;
}

/** A calendar date, and the instant when the catalog gives a time too. */
export interface When {
  date: string;
  /** `YYYY-MM-DDThh:mm:ss` plus the zone as written (Z or ±hh:mm), when a time was given. */
  date_time?: string;
}

export interface BoundingBox {
  west: number;
  east: number;
  south: number;
  north: number;
}

export interface CkanRecord {
  dataset: Dataset;
  service: CkanService;
  server: CkanServer;
  /** CKAN package name: the service's `name`, or derived from the dataset id. */
  name: string;
  /** `<ckan url>dataset/<name>`: the DCAT dataset IRI, the identifier in every format and the harvest guid. */
  uri: string;
  title: string;
  description: string;
  tags: string[];
  /** CF standard names of the variables (their own vocabulary, underscores kept). */
  standard_names: string[];
  landing_page?: string;
  publisher: Party;
  creator?: Party;
  /** Who to ask: the first of creator, publisher and catalog with a usable e-mail address. */
  contact: Party;
  license?: { id: string; uri?: string };
  /** ACDD date_metadata_modified, date_modified, date_issued or date_created: the first that is a date. */
  modified?: When;
  issued?: When;
  temporal?: { start?: When; end?: When };
  bbox?: BoundingBox;
  /** How often the data changes, as an ISO 8601 duration (PT6M, P1D), from the schedule or ERDDAP's reload interval. */
  update_period?: string;
  access: AccessPoint[];
}

export interface RecordProblem {
  code: string;
  message: string;
  /** Path inside the dataset's YAML. */
  path: (string | number)[];
  hint?: string;
}

export interface RecordInput {
  dataset: Dataset;
  service: CkanService;
  server: CkanServer;
  name: string;
  license: { id: string; uri?: string } | undefined;
  project: Project;
}

export function buildRecord(input: RecordInput, problems: RecordProblem[]): CkanRecord {
  const { dataset, service, server, name, project } = input;
  const attributes = dataset.attributes;
  const { modified, issued, temporal } = datesOf(attributes, problems);
  const { creator, publisher, contact } = partiesOf(attributes, server, problems);
  // Plain properties, not object spreads: V8 builds spread literals on a slow path, and this runs per dataset.
  return {
    dataset, service, server, name,
    uri: `${serverBase(server.url)}dataset/${name}`,
    title: dataset.title,
    description: nonBlank(dataset.summary) ?? attributeText(attributes, 'summary') ?? dataset.title,
    tags: tagsOf(dataset, project, problems),
    standard_names: [...new Set(dataset.variables.map((v) => attributeText(v.attributes ?? {}, 'standard_name')).filter((s): s is string => s !== undefined))],
    landing_page: checkedUrl(attributes, 'infoUrl', problems),
    creator,
    publisher,
    contact,
    license: input.license,
    modified,
    issued,
    temporal,
    bbox: boundingBox(attributes, problems),
    update_period: updatePeriod(dataset),
    access: accessPoints(dataset, project),
  };
}

/** Creator, publisher and the contact point: the first of creator, publisher and the CKAN server's contact with an e-mail address. */
function partiesOf(attributes: Attributes, server: CkanServer, problems: RecordProblem[]): Pick<CkanRecord, 'creator' | 'publisher' | 'contact'> {
  const text = (key: string) => attributeText(attributes, key);
  const email = (key: string) => checkedEmail(attributes, key, problems);
  const url = (key: string) => checkedUrl(attributes, key, problems);
  const creatorEmail = email('creator_email');
  const creatorUrl = url('creator_url');
  const creatorName = text('creator_name') ?? creatorEmail;
  const creator: Party | undefined = creatorName ? { name: creatorName, email: creatorEmail, url: creatorUrl } : undefined;
  const publisher: Party = {
    name: text('publisher_name') ?? server.publisher ?? text('institution') ?? server.organization,
    email: email('publisher_email') ?? server.contact_email,
    url: url('publisher_url'),
  };
  const catalogContact: Party = { name: server.publisher ?? server.organization, email: server.contact_email };
  const contact = [creator, publisher, catalogContact].find((party) => party?.email !== undefined) ?? creator ?? publisher;
  if (contact.email === undefined) {
    problems.push({
      code: 'ckan-no-contact-email', message: 'no contact e-mail for the CKAN records (data.json requires contactPoint.hasEmail)',
      path: ['attributes'], hint: 'set attributes.creator_email or publisher_email, or contact_email on the CKAN server in steller.yaml',
    });
  }
  return { creator, publisher, contact };
}

/** Tags from the keywords; without a usable one, the variables' ioos_category, and last the project's name (data.json needs one). */
function tagsOf(dataset: Dataset, project: Project, problems: RecordProblem[]): string[] {
  const keywordTags = tagsFrom([...dataset.keywords, ...(attributeText(dataset.attributes, 'keywords')?.split(',') ?? [])]);
  if (keywordTags.length === 0) {
    problems.push({
      code: 'ckan-no-keywords', message: 'no keyword that makes a valid CKAN tag; the records use the variables\' ioos_category instead',
      path: ['keywords'], hint: 'add `keywords: [...]` with words of 2 or more letters',
    });
  }
  const categories = dataset.variables.map((v) => attributeText(v.attributes ?? {}, 'ioos_category') ?? '');
  return [keywordTags, tagsFrom(categories), tagsFrom([project.name])].find((list) => list.length > 0) ?? [];
}

function datesOf(attributes: Attributes, problems: RecordProblem[]): Pick<CkanRecord, 'modified' | 'issued' | 'temporal'> {
  const start = dateAttribute(attributes, 'time_coverage_start', problems);
  const end = dateAttribute(attributes, 'time_coverage_end', problems);
  const issued = dateAttribute(attributes, 'date_issued', problems) ?? dateAttribute(attributes, 'date_created', problems);
  const modified = dateAttribute(attributes, 'date_metadata_modified', problems) ?? dateAttribute(attributes, 'date_modified', problems) ?? issued;
  if (!modified && !start && !end) {
    problems.push({
      code: 'ckan-no-date', message: 'no date for the ISO record\'s dateStamp: ckanext-spatial rejects a record without one',
      path: ['attributes'], hint: 'add date_created (or date_modified, time_coverage_start) to the dataset\'s attributes, e.g. date_created: 2024-06-01',
    });
  }
  return { modified, issued, temporal: start || end ? { start, end } : undefined };
}

function nonBlank(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/** A global attribute as text (numbers as JavaScript prints them), or undefined when absent or blank. */
export function attributeText(attributes: Attributes, key: string): string | undefined {
  const raw = attributes[key];
  const value = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw.value : raw;
  if (value === null || value === undefined) return undefined;
  return nonBlank(Array.isArray(value) ? value.join(', ') : String(value));
}

function checkedEmail(attributes: Attributes, key: string, problems: RecordProblem[]): string | undefined {
  const value = attributeText(attributes, key)?.trim();
  if (value === undefined || isPortableEmail(value)) return value;
  problems.push({ code: 'ckan-bad-email', message: `${key} "${value}" is not an e-mail address CKAN and data.json accept`, path: ['attributes', key], hint: 'write a plain address such as data@example.org' });
  return undefined;
}

function checkedUrl(attributes: Attributes, key: string, problems: RecordProblem[]): string | undefined {
  const value = attributeText(attributes, key)?.trim();
  if (value === undefined) return undefined;
  if (isCkanUrl(value)) return safeUrl(value);
  problems.push({ code: 'ckan-bad-url', message: `${key} "${value}" is not an http(s) URL with a plain host name, which CKAN requires`, path: ['attributes', key], hint: 'write a full URL such as https://example.org/page' });
  return undefined;
}

const ISO_DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[T ]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(\.\d+)?)?(Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?)?$/;

/** An ISO 8601 calendar date or date-time, as written; undefined for anything else. */
export function parseWhen(text: string): When | undefined {
  const m = ISO_DATE.exec(text.trim());
  if (!m || !isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (m[4] === undefined) return { date };
  const zone = m[8] === undefined ? '' : m[8] === 'Z' ? 'Z' : m[8].includes(':') ? m[8] : `${m[8].slice(0, 3)}:${m[8].slice(3)}`;
  return { date, date_time: `${date}T${m[4]}:${m[5]}:${m[6] ?? '00'}${m[7] ?? ''}${zone}` };
}

/** 2021-02-30 matches the pattern but is no day (and XSD validators reject it). */
function isCalendarDay(year: number, month: number, day: number): boolean {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}

function dateAttribute(attributes: Attributes, key: string, problems: RecordProblem[]): When | undefined {
  const value = attributeText(attributes, key);
  if (value === undefined) return undefined;
  const when = parseWhen(value);
  if (!when) problems.push({ code: 'ckan-bad-date', message: `${key} "${value}" is not an ISO 8601 date; the CKAN records leave it out`, path: ['attributes', key], hint: 'write e.g. 2024-06-01 or 2024-06-01T00:00:00Z' });
  return when;
}

function boundingBox(attributes: Attributes, problems: RecordProblem[]): BoundingBox | undefined {
  const keys = ['geospatial_lon_min', 'geospatial_lon_max', 'geospatial_lat_min', 'geospatial_lat_max'] as const;
  const texts = keys.map((key) => attributeText(attributes, key));
  if (texts.every((t) => t === undefined)) return undefined;
  const [west, east, south, north] = texts.map((t) => (t === undefined ? Number.NaN : Number(t)));
  const box = normalizeLongitudes({ west, east, south, north });
  const valid = [west, east, south, north].every(Number.isFinite) && south >= -90 && north <= 90 && south <= north && west >= -180 && east <= 360;
  if (!valid) {
    problems.push({
      code: 'ckan-bad-extent', message: `geospatial_lon_min/max and geospatial_lat_min/max (${texts.map((t) => t ?? '?').join(', ')}) are not a bounding box; the CKAN records leave it out`,
      path: ['attributes'], hint: 'give all four as numbers, latitudes in -90..90 with min <= max, longitudes in -180..180 (or 0..360)',
    });
    return undefined;
  }
  return box;
}

/** Longitudes in 0..360 become -180..180; a box that then crosses the antimeridian is widened to the whole globe, which every format can express. */
function normalizeLongitudes(box: BoundingBox): BoundingBox {
  const wrap = (lon: number) => (lon > 180 ? lon - 360 : lon);
  const west = wrap(box.west);
  const east = wrap(box.east);
  return west <= east ? { ...box, west, east } : { ...box, west: -180, east: 180 };
}

/** The harvest schedule's period when it is a plain repetition, else ERDDAP's reload interval. */
function updatePeriod(dataset: Dataset): string | undefined {
  if (dataset.schedule !== undefined) {
    const period = schedulePeriod(dataset.schedule);
    if (period) return period;
  }
  for (const service of dataset.services.erddap) {
    const minutes = Number(service.options?.reloadEveryNMinutes);
    if (service.active !== false && Number.isInteger(minutes) && minutes > 0) return minutesPeriod(minutes);
  }
  return undefined;
}

const MACRO_PERIODS: Record<string, string> = {
  '@hourly': 'PT1H', '@daily': 'P1D', '@midnight': 'P1D', '@weekly': 'P1W', '@monthly': 'P1M', '@yearly': 'P1Y', '@annually': 'P1Y',
};

/** `H/6 * * * *` → PT6M, `H * * * *` → PT1H, `H H/3 * * *` → PT3H, `H 2,8,14,20 * * *` → PT6H, `0 6 * * *` → P1D. */
export function schedulePeriod(schedule: string): string | undefined {
  const text = schedule.trim();
  if (text.startsWith('@')) return MACRO_PERIODS[text];
  const [minute, hour, dayOfMonth, month, dayOfWeek] = text.split(/\s+/);
  if (![dayOfMonth, month, dayOfWeek].every((f) => f === '*' || f === '?')) return undefined;
  const single = (field: string) => /^(\d+|H)$/.test(field);
  const step = (field: string) => /^(\*|H)\/(\d+)$/.exec(field)?.[2];
  if (hour === '*') {
    if (minute === '*') return 'PT1M';
    const minutes = step(minute);
    if (minutes) return `PT${minutes}M`;
    return single(minute) ? 'PT1H' : undefined;
  }
  if (!single(minute)) return undefined;
  const hours = step(hour) ?? evenHourGap(hour);
  if (hours) return hours === '24' ? 'P1D' : `PT${hours}H`;
  return single(hour) ? 'P1D' : undefined;
}

/** `2,8,14,20` → '6': a list of hours evenly spaced around the clock. */
function evenHourGap(hour: string): string | undefined {
  const hours = hour.split(',').map(Number);
  if (hours.length < 2 || hours.some((h) => !Number.isInteger(h))) return undefined;
  const gap = hours[1] - hours[0];
  const even = gap > 0 && hours.every((h, i) => i === 0 || h - hours[i - 1] === gap) && gap * hours.length === 24;
  return even ? String(gap) : undefined;
}

function minutesPeriod(minutes: number): string {
  if (minutes % 1440 === 0) return `P${minutes / 1440}D`;
  if (minutes % 60 === 0) return `PT${minutes / 60}H`;
  return `PT${minutes}M`;
}
