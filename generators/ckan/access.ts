// Every way to reach a dataset's data that the catalog itself publishes: ERDDAP and THREDDS URLs
// built from the same normalized service fields their generators read (server URL, protocol,
// datasetID, urlPath, group), so a record never links to something this build does not serve.
import type { Dataset, ErddapService, Project, ThreddsService } from '../../schemas/catalog.js';
import { THREDDS_SERVICE_TYPES } from '../../schemas/model.js';
import { encodePath, serverBase } from './urls.js';

export type OnlineFunction = 'download' | 'information';

export interface AccessPoint {
  /** Stable within the dataset (DCAT distribution IRIs end with it). */
  key: string;
  title: string;
  description: string;
  url: string;
  /** True when the URL returns the data itself (dcat:downloadURL), false for a page or an API endpoint (dcat:accessURL). */
  download: boolean;
  /** Human-readable format, as CKAN shows it. */
  format: string;
  /** IANA media type of what the URL returns, when it has a single one. */
  media_type?: string;
  /** ISO 19139 CI_OnlineResource protocol (the names ERDDAP and ncISO write). */
  protocol: string;
  function: OnlineFunction;
}

type ThreddsServiceType = (typeof THREDDS_SERVICE_TYPES)[number];

/** What a THREDDS server's compound service `all` holds when steller.yaml lists none. */
const DEFAULT_THREDDS_SERVICES: readonly ThreddsServiceType[] = ['opendap', 'http'];

const NETCDF = 'application/x-netcdf';

export function accessPoints(dataset: Dataset, project: Project): AccessPoint[] {
  return [
    ...dataset.services.erddap.flatMap((service) => erddapAccess(dataset, service, project)),
    ...dataset.services.thredds.flatMap((service) => threddsAccess(dataset, service, project)),
  ];
}

function erddapAccess(dataset: Dataset, service: ErddapService, project: Project): AccessPoint[] {
  const server = project.servers.erddap?.[service.server_key];
  // ERDDAP unloads a dataset marked active="false": nothing to link to.
  if (!server || service.active === false) return [];
  const root = serverBase(server.url);
  const base = `${root}${service.protocol}/${service.dataset_id}`;
  const key = (suffix: string) => `erddap-${service.server_key}-${service.dataset_id}-${suffix}`;
  const points: AccessPoint[] = [
    {
      key: key('html'), url: `${base}.html`, download: false, format: 'HTML', media_type: 'text/html',
      title: `ERDDAP ${service.protocol} data access form`,
      description: `Subset and download ${service.dataset_id} in any of ERDDAP's formats`,
      protocol: `ERDDAP:${service.protocol}`, function: 'download',
    },
    {
      key: key('csv'), url: `${base}.csv`, download: true, format: 'CSV', media_type: 'text/csv',
      title: `ERDDAP ${service.protocol} CSV`, description: 'The whole dataset as CSV (add an ERDDAP query to subset it)',
      protocol: 'WWW:DOWNLOAD', function: 'download',
    },
    {
      key: key('nc'), url: `${base}.nc`, download: true, format: 'NetCDF', media_type: NETCDF,
      title: `ERDDAP ${service.protocol} NetCDF`, description: 'The whole dataset as a NetCDF-3 file (add an ERDDAP query to subset it)',
      protocol: 'WWW:DOWNLOAD', function: 'download',
    },
  ];
  if (erddapWritesIso19115(dataset, service)) {
    points.push({
      key: key('iso19115'), url: `${root}metadata/iso19115/xml/${service.dataset_id}_iso19115.xml`,
      download: false, format: 'ISO 19115-2 XML', media_type: 'application/xml',
      title: 'ERDDAP ISO 19115-2 metadata', description: 'The ISO 19115-2 record ERDDAP writes for this dataset',
      protocol: 'WWW:LINK', function: 'information',
    });
  }
  return points;
}

/**
 * ERDDAP serves metadata/iso19115 only when it could write the record: not with
 * `<iso19115File></iso19115File>` (EDD.java accessibleViaISO19115), nor for a dataset without
 * longitude and latitude variables (EDDTable/EDDGrid writeISO19115). Without a variable list the
 * variables come from the source, so lon/lat are assumed.
 */
function erddapWritesIso19115(dataset: Dataset, service: ErddapService): boolean {
  if (service.options?.iso19115File === '') return false;
  if (dataset.variables.length === 0) return true;
  const names = new Set(dataset.variables.map((v) => v.name));
  return names.has('longitude') && names.has('latitude');
}

function threddsAccess(dataset: Dataset, service: ThreddsService, project: Project): AccessPoint[] {
  const server = project.servers.thredds?.[service.server_key];
  if (!server) return [];
  const base = serverBase(server.url);
  const key = (suffix: string) => `thredds-${service.server_key}-${service.dataset_id}-${suffix}`;
  const catalogPage: AccessPoint = {
    key: key('catalog'), download: false, format: 'HTML', media_type: 'text/html',
    url: `${base}catalog/${encodePath(service.group)}/catalog.html?dataset=${encodeURIComponent(service.dataset_id)}`,
    title: 'THREDDS catalog page', description: `The THREDDS catalog entry of ${service.dataset_id}, with every access service`,
    protocol: 'WWW:LINK', function: 'information',
  };
  // A scan or a feature collection is a folder of datasets under `path`, not one file: only its
  // catalog entry is a URL that exists.
  if (service.options?.datasetScan !== undefined || service.options?.featureCollection !== undefined) return [catalogPage];

  const types = threddsServiceTypes(service, server.services);
  const path = encodePath(service.path);
  const points: AccessPoint[] = [catalogPage];
  if (types.has('opendap')) {
    points.push({
      key: key('opendap'), url: `${base}dodsC/${path}`, download: false, format: 'OPeNDAP',
      title: 'THREDDS OPeNDAP', description: 'OPeNDAP endpoint (append .html for the request form)',
      protocol: 'OPeNDAP:OPeNDAP', function: 'download',
    });
  }
  if (types.has('http')) {
    const netcdf = isNetcdf(service);
    points.push({
      key: key('http'), url: `${base}fileServer/${path}`, download: true,
      format: netcdf ? 'NetCDF' : 'File', media_type: netcdf ? NETCDF : 'application/octet-stream',
      title: 'THREDDS HTTP download', description: 'The whole file over HTTP',
      protocol: 'WWW:DOWNLOAD', function: 'download',
    });
  }
  // THREDDS' WMS (ncWMS) only renders gridded data.
  if (types.has('wms') && isGridded(dataset, service)) {
    points.push({
      key: key('wms'), url: `${base}wms/${path}?service=WMS&version=1.3.0&request=GetCapabilities`, download: false,
      format: 'WMS', title: 'THREDDS WMS', description: 'OGC Web Map Service (GetCapabilities)',
      protocol: 'OGC:WMS', function: 'download',
    });
  }
  return points;
}

/** The service types a dataset is served with: its own list, where `all` (the default) is the server's compound service. */
function threddsServiceTypes(service: ThreddsService, serverServices: readonly ThreddsServiceType[] | undefined): Set<ThreddsServiceType> {
  const types = new Set<ThreddsServiceType>();
  for (const name of service.services ?? ['all']) {
    const lower = name.toLowerCase();
    if (lower === 'all') for (const type of serverServices ?? DEFAULT_THREDDS_SERVICES) types.add(type);
    else if ((THREDDS_SERVICE_TYPES as readonly string[]).includes(lower)) types.add(lower as ThreddsServiceType);
  }
  return types;
}

function isNetcdf(service: ThreddsService): boolean {
  return /netcdf/i.test(service.data_format ?? '') || /\.(nc|nc4|cdf|netcdf)$/i.test(service.path);
}

function isGridded(dataset: Dataset, service: ThreddsService): boolean {
  const type = service.data_type ?? String(dataset.attributes.cdm_data_type ?? '');
  return type.toLowerCase() === 'grid';
}
