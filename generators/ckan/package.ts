// The CKAN package dict for `package_create` / `package_update` (or ckanapi load): only keys of
// CKAN's default package schema, everything else as string-valued extras with unique keys that
// are not schema fields (research/ckan.md §1). `spatial` is the GeoJSON extra ckanext-spatial
// indexes.
import type { CkanRecord, When } from './record.js';

export interface PackageExtra {
  key: string;
  value: string;
}

/** Keys whose value is undefined are left out by JSON.stringify, which writes the dict. */
export function packageDict(record: CkanRecord): Record<string, unknown> {
  const groups = record.service.groups ?? [];
  return {
    name: record.name,
    title: record.title,
    notes: record.description,
    owner_org: record.server.organization,
    license_id: record.license?.id,
    url: record.landing_page,
    author: record.creator?.name,
    author_email: record.creator?.email,
    maintainer: record.contact.name,
    maintainer_email: record.contact.email,
    tags: record.tags.map((name) => ({ name })),
    groups: groups.length > 0 ? groups.map((name) => ({ name })) : undefined,
    extras: packageExtras(record),
    resources: record.access.map((point) => ({
      name: point.title,
      description: point.description,
      url: point.url,
      format: point.format,
      mimetype: point.media_type,
      resource_locator_protocol: point.protocol,
      resource_locator_function: point.function,
    })),
  };
}

/** Generated extras, then the catalog's own `extras`, which replace a generated one of the same key. */
export function packageExtras(record: CkanRecord): PackageExtra[] {
  const extras = new Map<string, string>();
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) extras.set(key, value);
  };
  set('guid', record.uri);
  set('identifier', record.uri);
  set('steller_dataset_id', record.dataset.id);
  set('publisher_name', record.publisher.name);
  set('publisher_email', record.publisher.email);
  set('publisher_url', record.publisher.url);
  set('issued', record.issued ? whenText(record.issued) : undefined);
  set('modified', record.modified ? whenText(record.modified) : undefined);
  set('temporal_start', record.temporal?.start ? whenText(record.temporal.start) : undefined);
  set('temporal_end', record.temporal?.end ? whenText(record.temporal.end) : undefined);
  set('frequency', record.update_period);
  set('spatial', record.bbox ? spatialGeoJson(record.bbox) : undefined);
  set('cf_standard_names', record.standard_names.length > 0 ? JSON.stringify(record.standard_names) : undefined);
  for (const [key, value] of Object.entries(record.service.extras ?? {})) extras.set(key, value);
  return [...extras].map(([key, value]) => ({ key, value }));
}

function whenText(when: When): string {
  return when.date_time ?? when.date;
}

/**
 * GeoJSON for ckanext-spatial's `spatial` extra. A box with no width or height is a Point, as
 * ckanext-spatial's own ISO harvester makes it (harvesters/base.py: "Point extent").
 */
function spatialGeoJson(box: NonNullable<CkanRecord['bbox']>): string {
  const { west, east, south, north } = box;
  if (west === east || south === north) return JSON.stringify({ type: 'Point', coordinates: [west, south] });
  return JSON.stringify({ type: 'Polygon', coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] });
}
