// DCAT for ckanext-dcat's RDF harvester (`dcat_rdf`, profile euro_dcat_ap_3 by default): one
// dcat:Catalog listing one dcat:Dataset per record, each with its distributions. Properties are
// the ones that profile maps to CKAN fields (ckanext-dcat docs/mapping.md): dct:title → title,
// dct:description → notes, dcat:keyword → tags, dcat:landingPage → url, dct:identifier,
// dct:temporal (dcat:startDate/endDate), dct:spatial (dcat:bbox or locn:geometry as WKT),
// dcat:contactPoint (vcard), dct:publisher (foaf), and dct:license on each distribution, which is
// where the profile looks for the license.
import { Text, type Piece } from '../../core/text.js';
import type { AccessPoint } from './access.js';
import type { CkanRecord, When } from './record.js';
import { iri, jsonLdNode, literal, node, PREFIXES, turtleNode, turtlePrefixes, type RdfNode, type RdfObject } from './rdf.js';

export interface DcatCatalog {
  iri: string;
  title: string;
  description: string;
  publisher: string;
}

function datasetNodes(record: CkanRecord): RdfNode[] {
  const uri = record.uri;
  const distributions = record.access.map((point) => distributionNode(record, point));
  const nodes: RdfNode[] = [
    node(uri, ['dcat:Dataset'], [
      ['dct:title', literal(record.title)],
      ['dct:description', literal(record.description)],
      ['dct:identifier', literal(uri)],
      ['dcat:keyword', record.tags.map((tag) => literal(tag))],
      ['dcat:landingPage', record.landing_page ? iri(record.landing_page) : undefined],
      ['dct:issued', record.issued ? dateLiteral(record.issued) : undefined],
      ['dct:modified', record.modified ? dateLiteral(record.modified) : undefined],
      ['dct:publisher', iri(`${uri}#publisher`)],
      ['dcat:contactPoint', iri(`${uri}#contact`)],
      ['dct:temporal', record.temporal ? iri(`${uri}#temporal`) : undefined],
      ['dct:spatial', record.bbox ? iri(`${uri}#spatial`) : undefined],
      ['dcat:distribution', distributions.map((d) => iri(d.iri))],
    ]),
    node(`${uri}#publisher`, ['foaf:Agent'], [
      ['foaf:name', literal(record.publisher.name)],
      ['foaf:mbox', record.publisher.email ? iri(`mailto:${record.publisher.email}`) : undefined],
      ['foaf:homepage', record.publisher.url ? iri(record.publisher.url) : undefined],
    ]),
    node(`${uri}#contact`, ['vcard:Kind'], [
      ['vcard:fn', literal(record.contact.name)],
      ['vcard:hasEmail', record.contact.email ? iri(`mailto:${record.contact.email}`) : undefined],
      ['vcard:hasURL', record.contact.url ? iri(record.contact.url) : undefined],
    ]),
  ];
  if (record.temporal) {
    nodes.push(node(`${uri}#temporal`, ['dct:PeriodOfTime'], [
      ['dcat:startDate', record.temporal.start ? dateLiteral(record.temporal.start) : undefined],
      ['dcat:endDate', record.temporal.end ? dateLiteral(record.temporal.end) : undefined],
    ]));
  }
  if (record.bbox) nodes.push(spatialNode(`${uri}#spatial`, record.bbox));
  return [...nodes, ...distributions];
}

function distributionNode(record: CkanRecord, point: AccessPoint): RdfNode {
  return node(`${record.uri}#${encodeURIComponent(point.key)}`, ['dcat:Distribution'], [
    ['dct:title', literal(point.title)],
    ['dct:description', literal(point.description)],
    [point.download ? 'dcat:downloadURL' : 'dcat:accessURL', iri(point.url)],
    // DCAT requires an accessURL on every distribution; for a download it is the same file.
    ['dcat:accessURL', point.download ? iri(point.url) : undefined],
    ['dct:format', literal(point.format)],
    ['dcat:mediaType', point.media_type ? iri(`https://www.iana.org/assignments/media-types/${point.media_type}`) : undefined],
    ['dct:license', record.license?.uri ? iri(record.license.uri) : undefined],
  ]);
}

/** A point as locn:geometry; an area as dcat:bbox. Both are GeoSPARQL WKT, which ckanext-dcat turns into GeoJSON. */
function spatialNode(id: string, box: NonNullable<CkanRecord['bbox']>): RdfNode {
  const { west, east, south, north } = box;
  const point = west === east && south === north;
  const wkt = point
    ? `POINT(${west} ${south})`
    : `POLYGON((${west} ${south}, ${east} ${south}, ${east} ${north}, ${west} ${north}, ${west} ${south}))`;
  return node(id, ['dct:Location'], [[point ? 'locn:geometry' : 'dcat:bbox', literal(wkt, 'gsp:wktLiteral')]]);
}

function dateLiteral(when: When): RdfObject {
  return when.date_time ? literal(when.date_time, 'xsd:dateTime') : literal(when.date, 'xsd:date');
}

function catalogNode(catalog: DcatCatalog, datasetIris: readonly string[]): RdfNode {
  return node(catalog.iri, ['dcat:Catalog'], [
    ['dct:title', literal(catalog.title)],
    ['dct:description', literal(catalog.description)],
    ['dct:publisher', iri(`${catalog.iri}#publisher`)],
    ['dcat:dataset', datasetIris.map((d) => iri(d))],
  ]);
}

function catalogPublisher(catalog: DcatCatalog): RdfNode {
  return node(`${catalog.iri}#publisher`, ['foaf:Agent'], [['foaf:name', literal(catalog.publisher)]]);
}

/** One dataset's share of catalog.ttl (a block) and of catalog.jsonld (a line of JSON per node, indented for the @graph). */
export function datasetRdf(record: CkanRecord): { turtle: Text; json_ld: Text } {
  const nodes = datasetNodes(record);
  return { turtle: Text.of(nodes.map(turtleNode).join('\n')), json_ld: Text.of(nodes.map((n) => `    ${JSON.stringify(jsonLdNode(n))}`).join(',\n')) };
}

/** catalog.ttl: the catalog, then each dataset's block. */
export function catalogTurtle(catalog: DcatCatalog, datasetIris: readonly string[], blocks: readonly Piece[]): Piece[] {
  const head = [catalogNode(catalog, datasetIris), catalogPublisher(catalog)].map(turtleNode);
  return [[turtlePrefixes(), ...head].join('\n'), ...blocks.flatMap((block) => ['\n', block])];
}

/** catalog.jsonld: the same nodes as a flat @graph under a context of the same prefixes. */
export function catalogJsonLd(catalog: DcatCatalog, datasetIris: readonly string[], blocks: readonly Piece[]): Piece[] {
  // The catalog node lists every dataset: spread over lines, so a diff shows the one that changed.
  const head = [JSON.stringify(jsonLdNode(catalogNode(catalog, datasetIris)), null, 2).replace(/\n/g, '\n    '), JSON.stringify(jsonLdNode(catalogPublisher(catalog)))];
  return [
    `{\n  "@context": ${JSON.stringify(PREFIXES)},\n  "@graph": [\n${head.map((line) => `    ${line}`).join(',\n')}`,
    ...blocks.flatMap((block) => [',\n', block]),
    '\n  ]\n}\n',
  ];
}
