// ERDDAP's own rules for datasets.xml, as its source code (2.31.0) enforces them. Paths are
// under WEB-INF/classes/gov/noaa/pfel/erddap/ unless given in full; research/erddap.md §2-§7
// summarises them. test/erddap/conformance.test.ts compares these tables with the ones extracted
// mechanically from ERDDAP's source (test/erddap/fixtures/erddap-rules.json).
import { ERDDAP_DATA_TYPES, ERDDAP_DATASET_ID, ERDDAP_LOADABLE_DATASET_ID } from '../../schemas/model.js';

/** EDV.IOOS_CATEGORIES (variable/EDV.java:125-173): every variable needs one (case-insensitive). */
export const IOOS_CATEGORIES = [
  'Bathymetry', 'Biology', 'Bottom Character', 'CO2', 'Colored Dissolved Organic Matter', 'Contaminants', 'Currents',
  'Dissolved Nutrients', 'Dissolved O2', 'Ecology', 'Fish Abundance', 'Fish Species', 'Heat Flux', 'Hydrology',
  'Ice Distribution', 'Identifier', 'Location', 'Meteorology', 'Ocean Color', 'Optical Properties', 'Other', 'Pathogens',
  'Physical Oceanography', 'Phytoplankton Species', 'Pressure', 'Productivity', 'Quality', 'Salinity', 'Sea Level', 'Soils',
  'Statistics', 'Stream Flow', 'Surface Waves', 'Taxonomy', 'Temperature', 'Time', 'Total Suspended Matter', 'Unknown', 'Wind',
  'Zooplankton Species', 'Zooplankton Abundance',
] as const;

/** EDD.CDM_TYPES (dataset/EDD.java:193-223); ERDDAP fixes the case, anything else fails the dataset. */
export const CDM_DATA_TYPES = ['Grid', 'MovingGrid', 'Other', 'Point', 'Profile', 'RadialSweep', 'TimeSeries', 'TimeSeriesProfile', 'Swath', 'Trajectory', 'TrajectoryProfile'] as const;

/** PAType.safeFromCohortString (com/cohort/array/PAType.java:75-92): `<dataType>` values, case-sensitive. */
export const DATA_TYPES = ERDDAP_DATA_TYPES;

/** `<att type=…>` (EDD.getAttributesFromXml, EDD.java:1969-2036): the data types, `string`, legacy `unsignedShort`, each optionally `…List`. */
export const ATTRIBUTE_TYPES: ReadonlySet<string> = new Set(
  [...DATA_TYPES, 'string', 'unsignedShort'].flatMap((t) => [t, `${t}List`]),
);

/** Tags LoadDatasets accepts directly under <erddapDatasets> besides <dataset> (LoadDatasets.java:835-1420). */
export const TOP_LEVEL_TAGS: ReadonlySet<string> = new Set([
  'angularDegreeTrueUnits', 'angularDegreeUnits', 'awsS3OutputBucketUrl', 'cacheClearMinutes', 'cacheMinutes', 'commonStandardNames',
  'convertInterpolateDatasetIDVariableList', 'convertInterpolateRequestCSVExample', 'convertToPublicSourceUrl', 'decompressedCacheMaxGB',
  'decompressedCacheMaxMinutesOld', 'displayAttribute', 'displayInfo', 'drawLandMask', 'emailDiagnosticsToErdData', 'endBodyHtml5',
  'graphBackgroundColor', 'ipAddressMaxRequests', 'ipAddressMaxRequestsActive', 'ipAddressUnlimited', 'loadDatasetsMaxMinutes',
  'loadDatasetsMinMinutes', 'logLevel', 'nGridThreads', 'nTableThreads', 'palettes', 'partialRequestMaxBytes', 'partialRequestMaxCells',
  'requestBlacklist', 'slowDownTroubleMillis', 'standardContact', 'standardDataLicenses', 'standardDisclaimerOfEndorsement',
  'standardDisclaimerOfExternalLinks', 'standardGeneralDisclaimer', 'standardLicense', 'standardPrivacyPolicy', 'startBodyHtml5',
  'startHeadHtml5', 'subscriptionEmailBlacklist', 'theShortDescriptionHtml', 'unusualActivity', 'unusualActivityFailPercent',
  'updateMaxEvents', 'user',
]);

/**
 * datasetIDs steller accepts off the documented rule, with a warning: a letter, then letters,
 * digits, _ or -. (ERDDAP's code, EDD.java:1087-1089, also loads a leading digit; the catalog does not.)
 */
export const LOADABLE_DATASET_ID = ERDDAP_LOADABLE_DATASET_ID;
/** datasetID as ERDDAP's documentation asks for it (setupDatasetsXml.html:11331). */
export const DOCUMENTED_DATASET_ID = ERDDAP_DATASET_ID;
/** EDV.ensureValid (variable/EDV.java:804-819). */
export const DESTINATION_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** String2.isVariableNameSafe (com/cohort/util/String2.java:1262): attribute names, ISO 8859-1 letters allowed. */
export const ATTRIBUTE_NAME = /^[A-Za-z_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff][A-Za-z0-9_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]*$/;

/** Calendar2.isTimeUnits (com/cohort/util/Calendar2.java:2357): "<u> since <date>" or a pattern with the year. */
export function isTimeUnits(units: string): boolean {
  const lc = units.toLowerCase();
  return lc.includes('uuuu') || lc.includes('yyyy') || /^ *[a-z]+ +since +.*[0-9].*$/s.test(lc);
}

// ---------------------------------------------------------------------------------------------
// Dataset classes

/** What a class's fromXml does with nested `<dataset>` children. */
interface Children {
  min: number;
  max: number;
  kind: 'grid' | 'table';
}

export interface ErddapClass {
  kind: 'grid' | 'table';
  /** The fromXml that reads it. */
  source: string;
  /** Child tags with a plain value (or XML attributes), in the order steller writes them is the catalog's. */
  tags: ReadonlySet<string>;
  /** Value tags the class cannot load without. */
  required: readonly string[];
  /** Accepts <addAttributes> (global attributes). */
  globalAttributes: boolean;
  axisVariables: 'none' | 'optional' | 'required';
  dataVariables: 'none' | 'optional' | 'required';
  children?: Children;
  /** EDDTableFromFiles: every dataVariable needs <dataType> and the global sourceUrl is not defaulted. */
  tableFiles?: true;
  /** Loads only with setup.xml useSaxParser=true (the legacy reader has no parser for it). */
  saxOnly?: true;
  /** Variables the class adds itself, besides the dataVariables given. */
  addsVariables?: readonly string[];
}

/** Tags every class below but EDDGridFromEtopo reads (EDD.java:2180-2229 and each fromXml). */
const COMMON = ['accessibleTo', 'graphsAccessibleTo', 'onChange', 'fgdcFile', 'iso19115File', 'defaultDataQuery', 'defaultGraphQuery'];

/** EDDTableFromFiles.fromXml (dataset/EDDTableFromFiles.java:222-366). */
const TABLE_FILES_TAGS = [
  ...COMMON, 'reloadEveryNMinutes', 'updateEveryNMillis', 'fileDir', 'fileNameRegex', 'recursive', 'pathRegex', 'metadataFrom',
  'accessibleViaFiles', 'fileTableInMemory', 'preExtractRegex', 'postExtractRegex', 'extractRegex', 'columnNameForExtract',
  'sortedColumnSourceName', 'sortFilesBySourceNames', 'charset', 'columnNamesRow', 'firstDataRow', 'columnSeparator',
  'skipHeaderToRegex', 'skipLinesRegex', 'sourceNeedsExpandedFP_EQ', 'specialMode', 'removeMVRows', 'standardizeWhat', 'nThreads',
  'cacheFromUrl', 'cacheSizeGB', 'cachePartialPathRegex', 'sosOfferingPrefix', 'addVariablesWhere', 'isLocal', 'nDimensions',
];

/** EDDGridFromFiles.fromXml (dataset/EDDGridFromFiles.java:181-285). */
const GRID_FILES_TAGS = [
  ...COMMON, 'reloadEveryNMinutes', 'updateEveryNMillis', 'fileDir', 'fileNameRegex', 'recursive', 'pathRegex', 'metadataFrom',
  'accessibleViaFiles', 'accessibleViaWMS', 'fileTableInMemory', 'matchAxisNDigits', 'ensureAxisValuesAreEqual', 'nThreads',
  'dimensionValuesInMemory', 'cacheFromUrl', 'cacheSizeGB', 'cachePartialPathRegex',
];

/** EDDTableFromMqtt is read only by the SAX handler (handlers/EDDTableFromFilesHandler.java), which adds its broker tags. */
const MQTT_TAGS = ['serverHost', 'serverPort', 'clientId', 'username', 'password', 'topics', 'useSsl', 'sessionExpiryInterval', 'connectionTimeout', 'automaticReconnect'];

const tableFiles = (extra: string[] = []): ErddapClass => ({
  kind: 'table', source: 'dataset/EDDTableFromFiles.java:222', tags: new Set([...TABLE_FILES_TAGS, ...extra]), required: ['fileDir'],
  globalAttributes: true, axisVariables: 'none', dataVariables: 'required', tableFiles: true,
});

const gridFiles = (): ErddapClass => ({
  kind: 'grid', source: 'dataset/EDDGridFromFiles.java:181', tags: new Set(GRID_FILES_TAGS), required: ['fileDir'],
  globalAttributes: true, axisVariables: 'required', dataVariables: 'required',
});

const wrapper = (kind: 'grid' | 'table', source: string, tags: string[], children: Children, more: Partial<ErddapClass> = {}): ErddapClass => ({
  kind, source, tags: new Set([...COMMON, ...tags]), required: [], globalAttributes: false, axisVariables: 'none', dataVariables: 'none', children, ...more,
});

const GRID_WRAPPER_TAGS = ['accessibleViaWMS', 'accessibleViaFiles', 'nThreads', 'dimensionValuesInMemory'];

export const ERDDAP_CLASSES: Readonly<Record<string, ErddapClass>> = {
  EDDTableFromAsciiFiles: tableFiles(),
  EDDTableFromAudioFiles: tableFiles(),
  EDDTableFromAwsXmlFiles: tableFiles(),
  EDDTableFromColumnarAsciiFiles: tableFiles(),
  EDDTableFromHttpGet: tableFiles(),
  EDDTableFromHyraxFiles: tableFiles(),
  EDDTableFromInvalidCRAFiles: tableFiles(),
  EDDTableFromJsonlCSVFiles: tableFiles(),
  EDDTableFromMultidimNcFiles: tableFiles(),
  EDDTableFromNcCFFiles: tableFiles(),
  EDDTableFromNcFiles: tableFiles(),
  EDDTableFromNccsvFiles: tableFiles(),
  EDDTableFromParquetFiles: tableFiles(),
  EDDTableFromThreddsFiles: tableFiles(),
  EDDTableFromWFSFiles: tableFiles(),
  EDDTableFromMqtt: { ...tableFiles(MQTT_TAGS), required: [], saxOnly: true },
  EDDGridFromNcFiles: gridFiles(),
  EDDGridFromNcFilesUnpacked: gridFiles(),
  EDDGridFromAudioFiles: gridFiles(),
  EDDGridFromMergeIRFiles: gridFiles(),
  EDDGridFromDap: {
    kind: 'grid', source: 'dataset/EDDGridFromDap.java:85',
    tags: new Set([...COMMON, 'sourceUrl', 'reloadEveryNMinutes', 'updateEveryNMillis', 'accessibleViaWMS', 'nThreads', 'dimensionValuesInMemory']),
    required: ['sourceUrl'], globalAttributes: true, axisVariables: 'optional', dataVariables: 'required',
  },
  EDDGridFromErddap: {
    kind: 'grid', source: 'dataset/EDDGridFromErddap.java:93',
    tags: new Set([...COMMON, 'sourceUrl', 'reloadEveryNMinutes', 'updateEveryNMillis', 'subscribeToRemoteErddapDataset', 'redirect', ...GRID_WRAPPER_TAGS]),
    required: ['sourceUrl'], globalAttributes: false, axisVariables: 'none', dataVariables: 'none',
  },
  EDDTableFromErddap: {
    kind: 'table', source: 'dataset/EDDTableFromErddap.java:84',
    tags: new Set([...COMMON, 'sourceUrl', 'reloadEveryNMinutes', 'accessibleViaFiles', 'subscribeToRemoteErddapDataset', 'redirect', 'sosOfferingPrefix', 'addVariablesWhere']),
    required: ['sourceUrl'], globalAttributes: false, axisVariables: 'none', dataVariables: 'none',
  },
  EDDTableFromDapSequence: {
    kind: 'table', source: 'dataset/EDDTableFromDapSequence.java:84',
    tags: new Set([...COMMON, 'sourceUrl', 'reloadEveryNMinutes', 'outerSequenceName', 'innerSequenceName', 'skipDapperSpacerRows',
      'sourceCanConstrainStringEQNE', 'sourceCanConstrainStringGTLT', 'sourceCanConstrainStringRegex', 'sourceNeedsExpandedFP_EQ',
      'sosOfferingPrefix', 'addVariablesWhere']),
    required: ['sourceUrl', 'outerSequenceName'], globalAttributes: true, axisVariables: 'none', dataVariables: 'required',
  },
  EDDTableFromDatabase: {
    kind: 'table', source: 'dataset/EDDTableFromDatabase.java:104 (required: 435-438)',
    tags: new Set([...COMMON, 'sourceUrl', 'reloadEveryNMinutes', 'dataSourceName', 'driverName', 'connectionProperty', 'catalogName',
      'schemaName', 'tableName', 'columnNameQuotes', 'orderBy', 'sourceNeedsExpandedFP_EQ', 'sourceCanOrderBy', 'sourceCanDoDistinct',
      'sosOfferingPrefix', 'addVariablesWhere']),
    required: ['sourceUrl', 'driverName', 'tableName'], globalAttributes: true, axisVariables: 'none', dataVariables: 'required',
  },
  EDDTableFromCassandra: {
    kind: 'table', source: 'dataset/EDDTableFromCassandra.java',
    tags: new Set([...COMMON, 'sourceUrl', 'reloadEveryNMinutes', 'connectionProperty', 'keyspace', 'tableName', 'partitionKeySourceNames',
      'clusterColumnSourceNames', 'indexColumnSourceNames', 'maxRequestFraction', 'columnNameQuotes', 'partitionKeyCSV',
      'sourceNeedsExpandedFP_EQ', 'sosOfferingPrefix', 'addVariablesWhere']),
    required: ['sourceUrl', 'keyspace', 'tableName', 'partitionKeySourceNames'], globalAttributes: true, axisVariables: 'none', dataVariables: 'required',
  },
  EDDTableFromSOS: {
    kind: 'table', source: 'dataset/EDDTableFromSOS.java',
    tags: new Set([...COMMON, 'sourceUrl', 'reloadEveryNMinutes', 'sosServerType', 'sosVersion', 'responseFormat', 'observationOfferingIdRegex',
      'requestObservedPropertiesSeparately', 'bboxOffering', 'bboxParameter', 'longitudeSourceName', 'latitudeSourceName',
      'altitudeSourceName', 'altitudeSourceMinimum', 'altitudeSourceMaximum', 'altitudeMetersPerSourceUnit', 'timeSourceName', 'timeSourceFormat',
      'stationIdSourceName', 'sourceNeedsExpandedFP_EQ', 'sosOfferingPrefix', 'addVariablesWhere']),
    required: ['sourceUrl'], globalAttributes: true, axisVariables: 'none', dataVariables: 'required',
    addsVariables: ['longitude', 'latitude', 'station_id', 'altitude', 'time'], // EDDTableFromSOS.java:1090-1160
  },
  EDDTableFromOBIS: {
    kind: 'table', source: 'dataset/EDDTableFromOBIS.java',
    tags: new Set([...COMMON, 'sourceUrl', 'sourceCode', 'reloadEveryNMinutes', 'longitudeSourceMinimum', 'longitudeSourceMaximum',
      'latitudeSourceMinimum', 'latitudeSourceMaximum', 'altitudeSourceMinimum', 'altitudeSourceMaximum', 'timeSourceMinimum',
      'timeSourceMaximum', 'sourceNeedsExpandedFP_EQ', 'sosOfferingPrefix', 'addVariablesWhere']),
    required: ['sourceUrl'], globalAttributes: true, axisVariables: 'none', dataVariables: 'none',
  },
  EDDTableFromAsciiServiceNOS: {
    kind: 'table', source: 'dataset/EDDTableFromAsciiService.java',
    tags: new Set([...COMMON, 'sourceUrl', 'reloadEveryNMinutes', 'beforeData1', 'beforeData2', 'beforeData3', 'beforeData4', 'beforeData5',
      'beforeData6', 'beforeData7', 'beforeData8', 'beforeData9', 'beforeData10', 'afterData', 'noData', 'sosOfferingPrefix', 'addVariablesWhere']),
    required: ['sourceUrl'], globalAttributes: true, axisVariables: 'none', dataVariables: 'required',
  },
  EDDTableFromFileNames: {
    kind: 'table', source: 'dataset/EDDTableFromFileNames.java',
    tags: new Set([...COMMON, 'reloadEveryNMinutes', 'fileDir', 'fileNameRegex', 'recursive', 'pathRegex', 'addVariablesWhere']),
    required: ['fileDir'], globalAttributes: true, axisVariables: 'none', dataVariables: 'required',
  },
  EDDGridFromEtopo: {
    kind: 'grid', source: 'dataset/EDDGridFromEtopo.java:88', tags: new Set(GRID_WRAPPER_TAGS), required: [],
    globalAttributes: false, axisVariables: 'none', dataVariables: 'none',
  },
  EDDGridFromEDDTable: {
    kind: 'grid', source: 'dataset/EDDGridFromEDDTable.java',
    tags: new Set([...COMMON, 'reloadEveryNMinutes', 'updateEveryNMillis', 'gapThreshold', ...GRID_WRAPPER_TAGS]), required: [],
    globalAttributes: true, axisVariables: 'required', dataVariables: 'required', children: { min: 1, max: 1, kind: 'table' },
  },
  EDDTableFromEDDGrid: wrapper('table', 'dataset/EDDTableFromEDDGrid.java',
    ['reloadEveryNMinutes', 'updateEveryNMillis', 'accessibleViaFiles', 'sosOfferingPrefix', 'addVariablesWhere'],
    { min: 1, max: 1, kind: 'grid' }, { globalAttributes: true }),
  EDDTableAggregateRows: wrapper('table', 'dataset/EDDTableAggregateRows.java',
    ['reloadEveryNMinutes', 'updateEveryNMillis', 'sosOfferingPrefix', 'addVariablesWhere'],
    { min: 1, max: Infinity, kind: 'table' }, { globalAttributes: true }),
  EDDTableCopy: wrapper('table', 'dataset/EDDTableCopy.java',
    ['reloadEveryNMinutes', 'accessibleViaFiles', 'checkSourceData', 'extractDestinationNames', 'orderExtractBy', 'fileTableInMemory',
      'nThreads', 'sourceNeedsExpandedFP_EQ', 'standardizeWhat', 'sosOfferingPrefix', 'addVariablesWhere'],
    { min: 1, max: 1, kind: 'table' }),
  EDDGridCopy: wrapper('grid', 'dataset/EDDGridCopy.java',
    ['reloadEveryNMinutes', 'checkSourceData', 'onlySince', 'fileTableInMemory', 'matchAxisNDigits', 'ensureAxisValuesAreEqual', ...GRID_WRAPPER_TAGS],
    { min: 1, max: 1, kind: 'grid' }),
  EDDGridLonPM180: wrapper('grid', 'dataset/EDDGridLonPM180.java', ['reloadEveryNMinutes', 'updateEveryNMillis', 'maxSourceLon', ...GRID_WRAPPER_TAGS], { min: 1, max: 1, kind: 'grid' }),
  EDDGridLon0360: wrapper('grid', 'dataset/EDDGridLon0360.java', ['reloadEveryNMinutes', 'updateEveryNMillis', ...GRID_WRAPPER_TAGS], { min: 1, max: 1, kind: 'grid' }),
  EDDGridSideBySide: wrapper('grid', 'dataset/EDDGridSideBySide.java', ['matchAxisNDigits', 'ensureAxisValuesAreEqual', ...GRID_WRAPPER_TAGS], { min: 1, max: Infinity, kind: 'grid' }),
  EDDGridAggregateExistingDimension: wrapper('grid', 'dataset/EDDGridAggregateExistingDimension.java:63',
    ['sourceUrl', 'sourceUrls', 'matchAxisNDigits', 'ensureAxisValuesAreEqual', ...GRID_WRAPPER_TAGS], { min: 1, max: 1, kind: 'grid' }),
};

export const CLASS_NAMES = Object.keys(ERDDAP_CLASSES).sort();

/** Child tags of <dataVariable> (EDD.getSDADVariableFromXml, EDD.java:2133-2172) and <axisVariable> (EDD.java:2050-2119). */
export const VARIABLE_TAGS = {
  dataVariable: new Set(['sourceName', 'destinationName', 'dataType', 'addAttributes']),
  axisVariable: new Set(['sourceName', 'destinationName', 'addAttributes', 'values']),
} as const;

/** The `type` steller picks for `tabledap`/`griddap` (or none): files unless a sourceUrl says otherwise. */
export function defaultClass(protocol: 'tabledap' | 'griddap', options: Record<string, unknown>): string {
  const sourceUrl = typeof options.sourceUrl === 'string' ? options.sourceUrl : undefined;
  if (protocol === 'griddap') {
    if (sourceUrl === undefined) return 'EDDGridFromNcFiles';
    return sourceUrl.includes('/griddap/') ? 'EDDGridFromErddap' : 'EDDGridFromDap';
  }
  if (sourceUrl === undefined) return 'EDDTableFromNcFiles';
  return sourceUrl.includes('/tabledap/') ? 'EDDTableFromErddap' : 'EDDTableFromDapSequence';
}

/** Variables ERDDAP gives an ioos_category itself (EDVLon/Lat/Alt/Depth/Time and time stamps). */
export const SELF_CATEGORIZED_NAMES: ReadonlySet<string> = new Set(['longitude', 'latitude', 'altitude', 'depth', 'time']);

/** Child tags whose values ERDDAP compiles as Java regular expressions. */
export const REGEX_TAGS: ReadonlySet<string> = new Set([
  'fileNameRegex', 'pathRegex', 'preExtractRegex', 'postExtractRegex', 'extractRegex', 'skipHeaderToRegex', 'skipLinesRegex',
  'cachePartialPathRegex', 'observationOfferingIdRegex',
]);

/** Child tags ERDDAP reads with String2.parseInt; a value that is not an integer silently means "default". */
export const INTEGER_TAGS: ReadonlySet<string> = new Set([
  'reloadEveryNMinutes', 'updateEveryNMillis', 'columnNamesRow', 'firstDataRow', 'standardizeWhat', 'nThreads', 'cacheSizeGB',
  'matchAxisNDigits', 'serverPort', 'sessionExpiryInterval', 'connectionTimeout',
]);

/** Child tags ERDDAP reads with String2.parseBoolean. */
export const BOOLEAN_TAGS: ReadonlySet<string> = new Set([
  'recursive', 'accessibleViaFiles', 'accessibleViaWMS', 'fileTableInMemory', 'removeMVRows', 'sourceNeedsExpandedFP_EQ', 'redirect',
  'subscribeToRemoteErddapDataset', 'dimensionValuesInMemory', 'ensureAxisValuesAreEqual', 'checkSourceData',
  'sourceCanConstrainStringEQNE', 'sourceCanConstrainStringGTLT', 'skipDapperSpacerRows', 'requestObservedPropertiesSeparately',
  'useSsl', 'automaticReconnect',
]);

/** Tags whose values must be one of a few words (EDDTableFromFiles.java:1396, EDD.java:2209, EDDTable.java:668). */
export const ENUMERATED_TAGS: Readonly<Record<string, readonly string[]>> = {
  metadataFrom: ['first', 'last'],
  graphsAccessibleTo: ['auto', 'public'],
  sourceCanConstrainStringRegex: ['=~', '~=', ''],
};
