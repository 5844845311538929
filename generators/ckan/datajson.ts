// DCAT-US 1.1 (Project Open Data) data.json, for GSA's ckanext-datajson harvester (data.gov) and
// ckanext-dcat's `dcat_json`. It meets the official POD 1.1 schema (refs/ckan/pod-v1.1), whose
// dataset requires the federal fields too: bureauCode and programCode come from the CKAN server's
// settings, with NOAA's codes as the default for IOOS regional associations.
import { joinPieces, type Piece } from '../../core/text.js';
import type { AccessPoint } from './access.js';
import type { CkanRecord, When } from './record.js';

export const POD_CONFORMS_TO = 'https://project-open-data.cio.gov/v1.1/schema';

/** NOAA (agency 006, bureau 48 in OMB Circular A-11 Appendix C), through which IOOS funds the regional associations. */
export const DEFAULT_BUREAU_CODE = '006:48';
/** `<agency>:000`: the agency's primary program, what POD publishers write when no program code applies. */
export const DEFAULT_PROGRAM_CODE = '006:000';

/** One dataset's entry of data.json, indented for its place in the list. */
export function podDatasetText(record: CkanRecord): string {
  return JSON.stringify(podDataset(record), null, 2).replace(/\n/g, '\n    ');
}

/** data.json: the catalog wrapper around the datasets' entries. */
export function dataJson(entries: readonly Piece[]): Piece[] {
  const list = entries.length > 0 ? ['[\n    ', ...joinPieces(entries, ',\n    '), '\n  ]'] : ['[]'];
  return [`{\n  "conformsTo": "${POD_CONFORMS_TO}",\n  "@type": "dcat:Catalog",\n  "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",\n  "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",\n  "dataset": `, ...list, '\n}\n'];
}

// Keys whose value is undefined are left out by JSON.stringify: optional fields are written as plain
// properties (object spreads are a slow path in V8, and this runs per dataset).
function podDataset(record: CkanRecord): Record<string, unknown> {
  const { server, bbox } = record;
  const temporal = record.temporal?.start && record.temporal.end ? `${podDate(record.temporal.start)}/${podDate(record.temporal.end)}` : undefined;
  return {
    '@type': 'dcat:Dataset',
    title: record.title,
    description: record.description,
    keyword: record.tags,
    modified: podModified(record),
    issued: record.issued ? podDate(record.issued) : undefined,
    publisher: { '@type': 'org:Organization', name: record.publisher.name },
    contactPoint: { '@type': 'vcard:Contact', fn: record.contact.name, hasEmail: record.contact.email ? `mailto:${record.contact.email}` : undefined },
    identifier: record.uri,
    accessLevel: 'public',
    bureauCode: [server.bureau_code ?? DEFAULT_BUREAU_CODE],
    programCode: [server.program_code ?? DEFAULT_PROGRAM_CODE],
    license: record.license?.uri,
    spatial: bbox ? `${bbox.west},${bbox.south},${bbox.east},${bbox.north}` : undefined,
    temporal,
    accrualPeriodicity: record.update_period ? `R/${record.update_period}` : undefined,
    landingPage: record.landing_page,
    distribution: record.access.map(podDistribution),
  };
}

/**
 * POD's `modified` is a date, or for data that keeps changing a repeating duration (R/PT1H):
 * an ACDD modification date first, then the update period, then the end of the time coverage.
 */
function podModified(record: CkanRecord): string | undefined {
  if (record.modified) return podDate(record.modified);
  if (record.update_period) return `R/${record.update_period}`;
  const end = record.temporal?.end ?? record.temporal?.start;
  return end ? podDate(end) : undefined;
}

function podDate(when: When): string {
  return when.date_time ?? when.date;
}

/** A file with a media type is a downloadURL (POD requires mediaType with one); anything else an accessURL. */
function podDistribution(point: AccessPoint): Record<string, unknown> {
  const file = point.download && point.media_type !== undefined;
  return {
    '@type': 'dcat:Distribution',
    title: point.title,
    description: point.description,
    downloadURL: file ? point.url : undefined,
    accessURL: file ? undefined : point.url,
    mediaType: point.media_type,
    format: point.format,
  };
}
