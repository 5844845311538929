// ISO 19115-2 (`gmi:MI_Metadata`, ISO 19139 XML) per dataset: the documents of the web folder
// (WAF) the IOOS catalog harvests with ckanext-spatial. The fields it reads
// (ckanext/spatial/harvested_metadata.py) are all here: fileIdentifier (the harvest guid),
// dateStamp, citation title, abstract, keywords, contacts, bounding box, time period and one
// CI_OnlineResource per access point. Element order follows the ISO 19139 schema sequences.
import type { AccessPoint } from './access.js';
import type { CkanRecord, Party, When } from './record.js';
import { el, escapeXml, renderXml, type XmlElement } from './xml.js';

const NAMESPACES = {
  'xmlns:gmi': 'http://www.isotc211.org/2005/gmi',
  'xmlns:gmd': 'http://www.isotc211.org/2005/gmd',
  'xmlns:gco': 'http://www.isotc211.org/2005/gco',
  'xmlns:gml': 'http://www.opengis.net/gml/3.2',
  'xmlns:xlink': 'http://www.w3.org/1999/xlink',
};

/** ISO/TC 211's published code lists (harvesters read codeListValue; the URL only names the list). */
const CODE_LISTS = 'http://standards.iso.org/iso/19139/resources/gmxCodelists.xml';

type Role = 'pointOfContact' | 'originator' | 'publisher';

export function iso19115Record(record: CkanRecord): string {
  const metadataDate = record.modified ?? record.temporal?.end ?? record.temporal?.start;
  return renderXml(el('gmi:MI_Metadata', [
    el('gmd:fileIdentifier', [chars(record.uri)]),
    el('gmd:language', [chars('eng')]),
    el('gmd:characterSet', [code('MD_CharacterSetCode', 'utf8')]),
    el('gmd:hierarchyLevel', [code('MD_ScopeCode', 'dataset')]),
    el('gmd:contact', [responsibleParty(record.publisher, 'pointOfContact')]),
    metadataDate ? el('gmd:dateStamp', [dateValue(metadataDate)]) : el('gmd:dateStamp', undefined, { 'gco:nilReason': 'unknown' }),
    el('gmd:metadataStandardName', [chars('ISO 19115-2 Geographic Information - Metadata Part 2 Extensions for Imagery and Gridded Data')]),
    el('gmd:metadataStandardVersion', [chars('ISO 19115-2:2009(E)')]),
    el('gmd:dataSetURI', [chars(record.uri)]),
    el('gmd:identificationInfo', [dataIdentification(record, metadataDate)]),
    el('gmd:distributionInfo', [distribution(record)]),
  ], NAMESPACES));
}

function dataIdentification(record: CkanRecord, citationDate: When | undefined): XmlElement {
  const parties = [
    ...(record.creator ? [el('gmd:citedResponsibleParty', [responsibleParty(record.creator, 'originator')])] : []),
    el('gmd:citedResponsibleParty', [responsibleParty(record.publisher, 'publisher')]),
  ];
  const keywords = [el('gmd:descriptiveKeywords', [keywordBlock(record.tags, 'theme')])];
  if (record.standard_names.length > 0) {
    // IOOS's harvester reads CF names from a block whose thesaurus title mentions "CF".
    const table = record.dataset.attributes.standard_name_vocabulary;
    keywords.push(el('gmd:descriptiveKeywords', [keywordBlock(record.standard_names, 'theme', typeof table === 'string' ? table : 'CF Standard Name Table')]));
  }
  return el('gmd:MD_DataIdentification', [
    el('gmd:citation', [el('gmd:CI_Citation', [
      el('gmd:title', [chars(record.title)]),
      citationDate
        ? el('gmd:date', [el('gmd:CI_Date', [el('gmd:date', [dateValue(citationDate)]), el('gmd:dateType', [code('CI_DateTypeCode', record.modified ? 'revision' : 'creation')])])])
        : el('gmd:date', undefined, { 'gco:nilReason': 'unknown' }),
      el('gmd:identifier', [el('gmd:MD_Identifier', [el('gmd:code', [chars(record.dataset.id)])])]),
      ...parties,
    ])]),
    el('gmd:abstract', [chars(record.description)]),
    el('gmd:pointOfContact', [responsibleParty(record.contact, 'pointOfContact')]),
    ...(record.update_period ? [el('gmd:resourceMaintenance', [el('gmd:MD_MaintenanceInformation', [
      el('gmd:maintenanceAndUpdateFrequency', [code('MD_MaintenanceFrequencyCode', maintenanceFrequency(record.update_period))]),
    ])])] : []),
    ...keywords,
    ...(record.license ? [el('gmd:resourceConstraints', [el('gmd:MD_LegalConstraints', [
      el('gmd:useLimitation', [chars(`License: ${record.license.uri ?? record.license.id}`)]),
    ])])] : []),
    el('gmd:language', [chars('eng')]),
    el('gmd:topicCategory', [el('gmd:MD_TopicCategoryCode', 'oceans')]),
    ...extent(record),
  ]);
}

function extent(record: CkanRecord): XmlElement[] {
  const elements: XmlElement[] = [];
  if (record.bbox) {
    const { west, east, south, north } = record.bbox;
    elements.push(el('gmd:geographicElement', [el('gmd:EX_GeographicBoundingBox', [
      el('gmd:westBoundLongitude', [decimal(west)]),
      el('gmd:eastBoundLongitude', [decimal(east)]),
      el('gmd:southBoundLatitude', [decimal(south)]),
      el('gmd:northBoundLatitude', [decimal(north)]),
    ])]));
  }
  const period = record.temporal;
  if (period?.start || period?.end) {
    elements.push(el('gmd:temporalElement', [el('gmd:EX_TemporalExtent', [el('gmd:extent', [
      el('gml:TimePeriod', [timePosition('gml:beginPosition', period.start, 'unknown'), timePosition('gml:endPosition', period.end, 'now')], { 'gml:id': 'timePeriod' }),
    ])])]));
  }
  return elements.length > 0 ? [el('gmd:extent', [el('gmd:EX_Extent', elements)])] : [];
}

function timePosition(name: string, when: When | undefined, indeterminate: string): XmlElement {
  return when ? el(name, when.date_time ?? when.date) : el(name, undefined, { indeterminatePosition: indeterminate });
}

function distribution(record: CkanRecord): XmlElement {
  const links = [
    ...(record.landing_page ? [onlineResource({ url: record.landing_page, protocol: 'WWW:LINK', title: 'Background information', description: 'Information about the dataset from its source', function: 'information' })] : []),
    ...record.access.map((point: AccessPoint) => onlineResource(point)),
  ];
  return el('gmd:MD_Distribution', [el('gmd:transferOptions', [el('gmd:MD_DigitalTransferOptions', links.map((link) => el('gmd:onLine', [link])))])]);
}

function onlineResource(link: Pick<AccessPoint, 'url' | 'protocol' | 'title' | 'description' | 'function'>): XmlElement {
  return el('gmd:CI_OnlineResource', [
    el('gmd:linkage', [el('gmd:URL', link.url)]),
    el('gmd:protocol', [chars(link.protocol)]),
    el('gmd:name', [chars(link.title)]),
    el('gmd:description', [chars(link.description)]),
    el('gmd:function', [code('CI_OnLineFunctionCode', link.function)]),
  ]);
}

function responsibleParty(party: Party, role: Role): XmlElement {
  const address = party.email ? [el('gmd:address', [el('gmd:CI_Address', [el('gmd:electronicMailAddress', [chars(party.email)])])])] : [];
  const online = party.url ? [el('gmd:onlineResource', [el('gmd:CI_OnlineResource', [el('gmd:linkage', [el('gmd:URL', party.url)])])])] : [];
  return el('gmd:CI_ResponsibleParty', [
    el('gmd:organisationName', [chars(party.name)]),
    ...(address.length + online.length > 0 ? [el('gmd:contactInfo', [el('gmd:CI_Contact', [...address, ...online])])] : []),
    el('gmd:role', [code('CI_RoleCode', role)]),
  ]);
}

function keywordBlock(words: readonly string[], type: string, thesaurus?: string): XmlElement {
  return el('gmd:MD_Keywords', [
    ...words.map((word) => el('gmd:keyword', [chars(word)])),
    el('gmd:type', [code('MD_KeywordTypeCode', type)]),
    ...(thesaurus ? [el('gmd:thesaurusName', [el('gmd:CI_Citation', [el('gmd:title', [chars(thesaurus)]), el('gmd:date', undefined, { 'gco:nilReason': 'unknown' })])])] : []),
  ]);
}

/** ISO duration → MD_MaintenanceFrequencyCode: anything under a day is `continual`. */
function maintenanceFrequency(period: string): string {
  if (period.startsWith('PT')) return 'continual';
  return ({ P1D: 'daily', P1W: 'weekly', P1M: 'monthly', P1Y: 'annually' } as Record<string, string>)[period] ?? 'irregular';
}

function chars(text: string): XmlElement {
  return el('gco:CharacterString', text);
}

/** xs:decimal has no exponent: JavaScript's 1e-7 is written 0.0000001. */
function decimal(value: number): XmlElement {
  const text = String(value);
  return el('gco:Decimal', text.includes('e') ? value.toFixed(20).replace(/\.?0+$/, '') : text);
}

function dateValue(when: When): XmlElement {
  return when.date_time ? el('gco:DateTime', when.date_time) : el('gco:Date', when.date);
}

function code(list: string, value: string): XmlElement {
  return el(`gmd:${list}`, value, { codeList: `${CODE_LISTS}#${list}`, codeListValue: value });
}

/** The web folder's listing: one link per record, the only thing ckanext-spatial's WAF harvester needs from it. */
export function wafIndex(title: string, files: readonly string[]): string {
  const links = files.map((file) => `<li><a href="${escapeXml(encodeURIComponent(file), true)}">${escapeXml(file, false)}</a></li>`);
  return [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><title>${escapeXml(title, false)}</title></head>`,
    `<body><h1>${escapeXml(title, false)}</h1>`,
    '<ul>',
    ...links,
    '</ul>',
    '</body></html>',
    '',
  ].join('\n');
}
