// A small element tree for THREDDS catalogs: built-in datasets are built as trees, template
// fragments and imported catalogs are parsed into the same trees, so one set of checks and one
// serializer handle all of them. Serializing is plain string assembly (no DOM), per dataset.
import { SaxesParser, type SaxesTagNS } from 'saxes';

export const THREDDS_NS = 'http://www.unidata.ucar.edu/namespaces/thredds/InvCatalog/v1.0';
export const XLINK_NS = 'http://www.w3.org/1999/xlink';
export const NCML_NS = 'http://www.unidata.ucar.edu/namespaces/netcdf/ncml-2.2';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export interface XmlAttribute {
  /** Local name. */
  name: string;
  /** Namespace URI; '' for unqualified attributes (most of them). */
  ns: string;
  value: string;
}

export interface XmlElement {
  name: string;
  ns: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
  /** 1-based line in the parsed text, when the element was parsed. */
  line?: number;
}

export type XmlNode = XmlElement | string;

/** Builds a THREDDS-namespace element; attributes with an undefined value are left out. */
export function el(name: string, attributes: Record<string, string | undefined> = {}, children: XmlNode[] = []): XmlElement {
  const list: XmlAttribute[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    const xlink = key.startsWith('xlink:');
    list.push({ name: xlink ? key.slice(6) : key, ns: xlink ? XLINK_NS : '', value });
  }
  return { name, ns: THREDDS_NS, attributes: list, children };
}

export function attr(element: XmlElement, name: string, ns = ''): string | undefined {
  return element.attributes.find((a) => a.name === name && a.ns === ns)?.value;
}

export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return element.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || (c.name === name && c.ns === THREDDS_NS)));
}

export function textOf(element: XmlElement): string {
  return element.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(value: string): string {
  // Tabs and newlines are escaped too, or a parser would normalize them to spaces.
  return escapeText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/** Prefixes declared on every catalog root, so attributes in these namespaces need no local declaration. */
const DECLARED_PREFIXES = new Map([[XLINK_NS, 'xlink'], [XML_NS, 'xml']]);

/**
 * Serializes an element, indented by `depth` levels of two spaces. `defaultNs` is the default
 * namespace in scope (the catalog's); an element in another one redeclares it, as NcML inside a
 * catalog usually does. Elements with text content are written on one line, so text is kept exactly.
 */
export function serialize(element: XmlElement, depth = 1, defaultNs = THREDDS_NS): string {
  const pad = '  '.repeat(depth);
  const nsDeclaration = element.ns !== defaultNs ? ` xmlns="${escapeAttribute(element.ns)}"` : '';
  const attributes = element.attributes.map((a) => ` ${qualifiedAttributeName(a)}="${escapeAttribute(a.value)}"`).join('');
  const open = `${pad}<${element.name}${nsDeclaration}${attributes}`;
  if (element.children.length === 0) return `${open}/>\n`;
  if (element.children.some((c) => typeof c === 'string')) return `${open}>${inline(element.children, element.ns)}</${element.name}>\n`;
  const inner = element.children.map((c) => serialize(c as XmlElement, depth + 1, element.ns)).join('');
  return `${open}>\n${inner}${pad}</${element.name}>\n`;
}

function inline(children: XmlNode[], defaultNs: string): string {
  return children.map((c) => (typeof c === 'string' ? escapeText(c) : serialize(c, 0, defaultNs).trimEnd())).join('');
}

function qualifiedAttributeName(attribute: XmlAttribute): string {
  if (attribute.ns === '') return attribute.name;
  const prefix = DECLARED_PREFIXES.get(attribute.ns);
  // Attributes of other namespaces are not part of the InvCatalog schema; keep them readable anyway.
  return prefix ? `${prefix}:${attribute.name}` : attribute.name;
}

export class XmlSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

/**
 * Parses XML strictly (well-formedness, namespaces, no DTD entities). Unprefixed elements are in
 * `defaultNs`, and the xlink and ncml prefixes are bound, so a template fragment may use them
 * without declaring them. Whitespace-only text between elements is dropped; comments and
 * processing instructions are not kept.
 */
export function parseXml(text: string, defaultNs = THREDDS_NS): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true, additionalNamespaces: { '': defaultNs, xlink: XLINK_NS, ncml: NCML_NS } });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: XmlSyntaxError | undefined;
  parser.on('error', (error) => {
    failure ??= new XmlSyntaxError(error.message.replace(/^\d+:\d+: /, ''), parser.line);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const element: XmlElement = {
      name: tag.local,
      ns: tag.uri,
      attributes: Object.values(tag.attributes)
        .filter((a) => a.prefix !== 'xmlns' && !(a.prefix === '' && a.local === 'xmlns'))
        .map((a) => ({ name: a.local, ns: a.uri, value: a.value })),
      children: [],
      line: parser.line,
    };
    if (stack.length > 0) stack[stack.length - 1].children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    const closed = stack.pop();
    if (closed) closed.children = dropLayoutWhitespace(closed.children);
  });
  const addText = (value: string) => {
    const parent = stack[stack.length - 1];
    if (!parent) return;
    const last = parent.children[parent.children.length - 1];
    if (typeof last === 'string') parent.children[parent.children.length - 1] = last + value;
    else parent.children.push(value);
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.write(text);
  if (!failure) parser.close();
  if (failure) throw failure;
  if (!root) throw new XmlSyntaxError('no element', 1);
  return root;
}

/** Whitespace between child elements is layout; text in an element without child elements is content. */
function dropLayoutWhitespace(children: XmlNode[]): XmlNode[] {
  if (!children.some((c) => typeof c !== 'string')) return children;
  return children.filter((c) => typeof c !== 'string' || c.trim() !== '');
}
