// A small RDF model written as Turtle and as JSON-LD from the same nodes, so both files state the
// same graph. Every node has an IRI (no blank nodes): harvesters key on them, and two graphs are
// then equal exactly when their sorted triples are.

export const PREFIXES: Readonly<Record<string, string>> = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  gsp: 'http://www.opengis.net/ont/geosparql#',
  locn: 'http://www.w3.org/ns/locn#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};

export type RdfObject = { iri: string } | { value: string; datatype?: string };

export interface RdfNode {
  iri: string;
  /** Classes as prefixed names (`dcat:Dataset`). */
  types: string[];
  /** Predicates as prefixed names, in the order they are written. */
  properties: [string, RdfObject[]][];
}

export const iri = (value: string): RdfObject => ({ iri: value });
export const literal = (value: string, datatype?: string): RdfObject => (datatype ? { value, datatype } : { value });

/** Builds a node, leaving out properties whose value is undefined. */
export function node(id: string, types: string[], properties: [string, RdfObject | RdfObject[] | undefined][]): RdfNode {
  const kept: [string, RdfObject[]][] = [];
  for (const [predicate, object] of properties) {
    if (object === undefined) continue;
    const objects = Array.isArray(object) ? object : [object];
    if (objects.length > 0) kept.push([predicate, objects]);
  }
  return { iri: id, types, properties: kept };
}

export function turtlePrefixes(): string {
  return `${Object.entries(PREFIXES).map(([prefix, ns]) => `@prefix ${prefix}: <${ns}> .`).join('\n')}\n`;
}

export function turtleNode(subject: RdfNode): string {
  const lines = [`<${escapeIri(subject.iri)}> a ${subject.types.join(', ')}`];
  for (const [predicate, objects] of subject.properties) {
    const texts = objects.map(turtleObject);
    const oneLine = texts.join(', ');
    // A long list (a catalog's datasets) gets a line per object, so a diff shows the one that changed.
    lines.push(`  ${predicate} ${oneLine.length <= 120 ? oneLine : texts.join(',\n    ')}`);
  }
  return `${lines.join(' ;\n')} .\n`;
}

function turtleObject(object: RdfObject): string {
  if ('iri' in object) return `<${escapeIri(object.iri)}>`;
  const text = `"${escapeTurtleString(object.value)}"`;
  return object.datatype ? `${text}^^${object.datatype}` : text;
}

const TURTLE_ESCAPES = /[\\"\u0000-\u001F\u007F\uD800-\uDFFF]/;

/** ECHAR escapes for what a "…" string may not hold; other control characters as \uXXXX. */
function escapeTurtleString(text: string): string {
  if (!TURTLE_ESCAPES.test(text)) return text;
  return wellFormed(text).replace(/[\\"\n\r\t\b\f\u0000-\u001F\u007F]/g, (c) => {
    const named: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

const IRI_ESCAPES = /[\u0000-\u0020<>"{}|^`\\]/;

/** IRIREF forbids spaces, controls and <>"{}|^`\ ; URLs reaching here are already percent-encoded, this is the last guard. */
function escapeIri(value: string): string {
  if (!IRI_ESCAPES.test(value)) return value;
  return value.replace(/[\u0000-\u0020<>"{}|^`\\]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** A lone surrogate cannot be written as UTF-8: it becomes U+FFFD, in Turtle as in JSON-LD. */
export function wellFormed(text: string): string {
  if (!/[\uD800-\uDFFF]/.test(text)) return text;
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** The JSON-LD node object of `subject`, compacted with PREFIXES as its context. */
export function jsonLdNode(subject: RdfNode): Record<string, unknown> {
  const out: Record<string, unknown> = { '@id': subject.iri, '@type': subject.types.length === 1 ? subject.types[0] : subject.types };
  for (const [predicate, objects] of subject.properties) {
    const values = objects.map(jsonLdObject);
    out[predicate] = values.length === 1 ? values[0] : values;
  }
  return out;
}

function jsonLdObject(object: RdfObject): unknown {
  if ('iri' in object) return { '@id': object.iri };
  const value = wellFormed(object.value);
  return object.datatype ? { '@value': value, '@type': object.datatype } : value;
}
