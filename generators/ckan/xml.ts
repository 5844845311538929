// A minimal element tree printed with two-space indents. Strings are escaped on output, so any
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
  write(root, '', lines);
  lines.push('');
  return lines.join('\n');
}

function write(element: XmlElement, pad: string, lines: string[]): void {
  let attrs = '';
  if (element.attrs) for (const key in element.attrs) attrs += ` ${key}="${escapeXml(element.attrs[key], true)}"`;
  if (element.children) {
    lines.push(`${pad}<${element.name}${attrs}>`);
    const inner = `${pad}  `;
    for (const child of element.children) write(child, inner, lines);
    lines.push(`${pad}</${element.name}>`);
  } else if (element.text !== undefined) {
    lines.push(`${pad}<${element.name}${attrs}>${escapeXml(element.text, false)}</${element.name}>`);
  } else {
    lines.push(`${pad}<${element.name}${attrs}/>`);
  }
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
