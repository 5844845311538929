// The organisations a regional association aggregates, one catalog folder each. Names are
// generic and every URL is under example.org: the data is synthetic and must not pass for real.

export interface Provider {
  folder: string;
  /** Prefix of platform codes, so ids say who runs the platform. */
  prefix: string;
  creatorName: string;
  creatorEmail: string;
  creatorUrl: string;
  /** Where the provider's harvest job reads. */
  sourceUrl: string;
  sourceType: string;
}

const provider = (folder: string, prefix: string, creatorName: string, sourceType: string): Provider => ({
  folder,
  prefix,
  creatorName,
  creatorEmail: `data@${folder}.example.org`,
  creatorUrl: `https://${folder}.example.org/`,
  sourceUrl: `https://api.${folder}.example.org/v1/`,
  sourceType,
});

export const BUOY_OPERATORS: readonly Provider[] = [
  provider('umaine', 'UM', 'University of Maine Physical Oceanography Group', 'umaine-buoy'),
  provider('whoi', 'WH', 'Woods Hole Oceanographic Institution Upper Ocean Processes Group', 'whoi-buoy'),
  provider('unh', 'NH', 'University of New Hampshire Coastal Ocean Observing Center', 'unh-buoy'),
  provider('gmri', 'GM', 'Gulf of Maine Research Institute', 'gmri-buoy'),
  provider('umassb', 'MB', 'University of Massachusetts Boston School for the Environment', 'umassb-buoy'),
];
export const NDBC = provider('ndbc', 'ND', 'National Data Buoy Center (synthetic mirror)', 'ndbc-dods');
export const COOPS = provider('noaa-coops', 'CO', 'NOAA CO-OPS (synthetic)', 'coops-api');
export const PORTS = provider('noaa-ports', 'PT', 'NOAA PORTS (synthetic)', 'coops-api');
export const HOHONU = provider('hohonu', 'HO', 'Hohonu community water-level network (synthetic)', 'hohonu');
export const MODELLERS: readonly Provider[] = [
  provider('necofs', 'NE', 'UMass Dartmouth Marine Ecosystem Dynamics Modeling Laboratory', 'thredds-fmrc'),
  provider('noaa-ofs', 'OF', 'NOAA Operational Forecast Systems (synthetic)', 'thredds-fmrc'),
  provider('umaine-wrf', 'WR', 'University of Maine Atmospheric Modelling Group', 'thredds-fmrc'),
];
export const SATELLITE_LABS: readonly Provider[] = [
  provider('umaine-sat', 'SA', 'University of Maine Satellite Oceanography Data Lab', 'sftp-mirror'),
  provider('rutgers-cool', 'RC', 'Rutgers Center for Ocean Observing Leadership', 'sftp-mirror'),
];
export const GLIDER_DAC = provider('gliders', 'GL', 'IOOS Glider DAC (synthetic)', 'erddap');
export const REMOTE_GRIDS = provider('coastwatch', 'CW', 'NOAA CoastWatch (synthetic)', 'erddap');

export const PLACES = [
  'Massachusetts Bay', 'Western Maine Shelf', 'Jordan Basin', 'Penobscot Bay', 'Cape Cod Bay', 'Georges Bank', 'Casco Bay',
  'Bay of Fundy', 'Great Bay', 'Nantucket Sound', 'Buzzards Bay', 'Narragansett Bay', 'Isles of Shoals', 'Frenchman Bay',
] as const;
