// A minimal element tree printed one element a line, without indentation (ISO records are read by
// machines and diffed line by line; at 10,000 datasets indentation alone would be a quarter of their
// size in memory); an element whose only child is a leaf shares its line, as ISO 19139's property
// wrappers (`<gmd:title><gco:CharacterString>…`) read best. Strings are escaped on output, so any
// catalog text (`<buoy> & ]]>`) round-trips literally; characters XML 1.0 cannot hold at all
// (most control characters, lone surrogates) become U+FFFD.

export interface XmlElement {
  name: string;
  attrs?: Record<string, string>;
  /** Text content; an element has text or children, not both. */
  text?: string;
  children?: XmlElement[];
}

export function el(name: string, content?: string | XmlElement[], attrs?: Record<string, string>): XmlElement {
  const element: XmlElement = { name };
  if (attrs) element.attrs = attrs;
  if (typeof content === 'string') element.text = content;
  else if (content && content.length > 0) element.children = content;
  return element;
}

export function renderXml(root: XmlElement): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(root, lines);
  lines.push('');
  return lines.join('\n');
}

function write(element: XmlElement, lines: string[]): void {
  const children = element.children;
  if (!children) {
    lines.push(leaf(element));
  } else if (children.length === 1 && !children[0].children) {
    lines.push(`${openTag(element)}${leaf(children[0])}</${element.name}>`);
  } else {
    lines.push(openTag(element));
    for (const child of children) write(child, lines);
    lines.push(`</${element.name}>`);
  }
}

function openTag(element: XmlElement): string {
  let attrs = '';
  if (element.attrs) for (const key in element.attrs) attrs += ` ${key}="${escapeXml(element.attrs[key], true)}"`;
  return `<${element.name}${attrs}>`;
}

function leaf(element: XmlElement): string {
  if (element.text === undefined) return `${openTag(element).slice(0, -1)}/>`;
  return `${openTag(element)}${escapeXml(element.text, false)}</${element.name}>`;
}

const NEEDS_ESCAPE = /[&<>"\r\n\t\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string, attribute: boolean): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  const escaped = text.replace(NOT_XML_CHAR, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // In attributes, also keep line breaks and tabs from being normalized to spaces by parsers.
  return attribute
    ? escaped.replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')
    : escaped.replace(/\r/g, '&#13;');
}
