// The XML steller reads and writes for ERDDAP, modelled on how ERDDAP itself reads datasets.xml
// (SimpleXMLReader, research/erddap.md §1): element text is trimmed, comments and CDATA are
// allowed, and in `erddap` mode the HTML entities ERDDAP decodes are accepted too. The writer
// emits only what both of ERDDAP's parsers take: ASCII, the four entities ERDDAP decodes, and
// `$${` for a literal `${` (ERDDAP runs a `${…}` substitutor over the file before parsing).

export interface XmlElement {
  name: string;
  /** In document order; ERDDAP reads the first of a repeated name. */
  attributes: [string, string][];
  children: XmlElement[];
  /** Own text, trimmed as ERDDAP trims it. */
  text: string;
  /** 1-based lines of the start and end tags in the parsed text; 0 for built elements. */
  line: number;
  endLine: number;
  /** Comments directly inside this element, in order. */
  comments: { text: string; line: number }[];
  /** Configuration, not metadata: a text or attribute value that is a whole `${…}` lookup is kept for ERDDAP to substitute. */
  lookup?: boolean;
}

export function element(name: string, attributes: [string, string][] = [], content: XmlElement[] | string = []): XmlElement {
  return typeof content === 'string'
    ? { name, attributes, children: [], text: content, line: 0, endLine: 0, comments: [] }
    : { name, attributes, children: content, text: '', line: 0, endLine: 0, comments: [] };
}

export function attributeOf(el: XmlElement, name: string): string | undefined {
  return el.attributes.find(([n]) => n === name)?.[1];
}

/** `${name}` or `${prefix:key}` as the whole value: an ERDDAP lookup (env, sys, date, …), not text. */
export function isWholeLookup(value: string): boolean {
  return /^\$\{[^{}$\s]+\}$/.test(value);
}

// ---------------------------------------------------------------------------------------------
// Writing

const INDENT = '    ';
const SAFE_TEXT = /^[\x20-\x25\x27-\x3b\x3d\x3f-\x7e\n\t]*$/;
const SAFE_ATTRIBUTE = /^[\x20\x21\x23-\x25\x27-\x3b\x3d\x3f-\x7e]*$/;

/** XML 1.0 forbids these characters even as references; a value holding one cannot be written. */
export const FORBIDDEN_XML_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function escapeValue(value: string, inAttribute: boolean, lookup: boolean): string {
  let out = value;
  if (!(inAttribute ? SAFE_ATTRIBUTE : SAFE_TEXT).test(value)) {
    out = '';
    for (const ch of value) {
      const cp = ch.codePointAt(0) as number;
      if (ch === '&') out += '&amp;';
      else if (ch === '<') out += '&lt;';
      else if (ch === '>') out += '&gt;'; // ERDDAP's reader ends a tag at the first `>`, even inside quotes
      else if (ch === '"' && inAttribute) out += '&quot;';
      else if (inAttribute && (ch === '\n' || ch === '\t')) out += `&#${cp};`; // kept, not normalized to spaces
      else if (ch === '\r') out += '&#13;'; // ERDDAP's reader drops a raw CR
      else if (cp >= 0x7f) out += `&#${cp};`;
      else if (cp >= 0x20 || ch === '\n' || ch === '\t') out += ch;
      // other control characters cannot appear in XML 1.0 at all; checks report them
    }
  }
  return lookup ? out : out.replaceAll('${', () => '$${'); // a function: in a replacement string $$ means one $
}

function openTag(el: XmlElement): string {
  let tag = `<${el.name}`;
  for (const [name, value] of el.attributes) tag += ` ${name}="${escapeValue(value, true, keepsLookup(el, value))}"`;
  return tag;
}

const keepsLookup = (el: XmlElement, value: string) => el.lookup === true && isWholeLookup(value);

function writeInto(el: XmlElement, depth: number, out: string[]): void {
  const pad = INDENT.repeat(depth);
  if (el.children.length === 0) {
    out.push(el.text === '' ? `${pad}${openTag(el)}/>` : `${pad}${openTag(el)}>${escapeValue(el.text, false, keepsLookup(el, el.text))}</${el.name}>`);
    return;
  }
  out.push(`${pad}${openTag(el)}>`);
  for (const child of el.children) writeInto(child, depth + 1, out);
  out.push(`${pad}</${el.name}>`);
}

/** One element, indented four spaces per level, lines joined with `\n` (no trailing newline). */
export function writeElement(el: XmlElement, depth = 0): string {
  const out: string[] = [];
  writeInto(el, depth, out);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Reading

/** `xml`: well-formed XML only (rendered templates). `erddap`: also what ERDDAP's own reader accepts. */
export type ReadMode = 'xml' | 'erddap';

export interface PrologItem {
  kind: 'declaration' | 'doctype' | 'instruction' | 'comment' | 'text';
  text: string;
  line: number;
}

export interface XmlDocument {
  root: XmlElement;
  /** Everything outside the root element, and processing instructions inside it. */
  prolog: PrologItem[];
}

export type ReadResult = { ok: true; document: XmlDocument } | { ok: false; message: string; line: number };

class ReadError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The Latin-1 names ERDDAP's XML.decodeEntities knows (XML.java HTML_ENTITIES, 160-255). */
const LATIN1_ENTITY_NAMES = (
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para ' +
  'middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute ' +
  'Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute ' +
  'THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ' +
  'ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml'
).split(' ');
const ERDDAP_ENTITIES: Record<string, string> = {
  ...XML_ENTITIES,
  ...Object.fromEntries(LATIN1_ENTITY_NAMES.map((name, i) => [name, String.fromCharCode(160 + i)])),
};

const ENTITY = /&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/g;

function decodeEntities(raw: string, mode: ReadMode, line: number): string {
  if (!raw.includes('&')) return raw;
  if (mode === 'xml' && /&(?!#x[0-9A-Fa-f]+;|#[0-9]+;|[A-Za-z][A-Za-z0-9]*;)/.test(raw)) throw new ReadError('a bare & (write &amp;)', line);
  return raw.replace(ENTITY, (whole, body: string) => {
    if (body.startsWith('#')) {
      const cp = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (cp > 0 && cp <= 0x10ffff) return String.fromCodePoint(cp);
      if (mode === 'xml') throw new ReadError(`character reference ${whole} is not a character`, line);
      return whole;
    }
    const table = mode === 'xml' ? XML_ENTITIES : ERDDAP_ENTITIES;
    if (Object.hasOwn(table, body)) return table[body];
    if (mode === 'xml') throw new ReadError(`unknown entity ${whole} (only &amp; &lt; &gt; &quot; &apos; and &#N; are XML)`, line);
    return whole; // ERDDAP leaves unknown entities as they are
  });
}

/** ERDDAP's String2.isWhite: control characters, space and no-break space. */
function trimErddap(text: string): string {
  return text.replace(/^[\u0001-\u0020\u00a0]+|[\u0001-\u0020\u00a0]+$/g, '');
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const SPACE = /\s*/y;
const UNQUOTED = /[^\s>]*/y;

interface Open {
  el: XmlElement;
  text: string[];
}

/** Reads `text` into an element tree; a syntax problem comes back as a value with its line. */
export function readXml(text: string, mode: ReadMode): ReadResult {
  try {
    return { ok: true, document: new Reader(text.replace(/\r\n?/g, '\n'), mode).read() };
  } catch (error) {
    if (error instanceof ReadError) return { ok: false, message: error.message, line: error.line };
    throw error;
  }
}

class Reader {
  private pos = 0;
  private line = 1;
  private readonly stack: Open[] = [];
  private readonly prolog: PrologItem[] = [];
  private root: XmlElement | undefined;

  constructor(private readonly src: string, private readonly mode: ReadMode) {}

  read(): XmlDocument {
    const { src } = this;
    while (this.pos < src.length) {
      const lt = src.indexOf('<', this.pos);
      const end = lt < 0 ? src.length : lt;
      if (end > this.pos) this.addText(src.slice(this.pos, end));
      if (lt < 0) break;
      this.advanceTo(lt);
      if (src.startsWith('<!--', lt)) this.comment();
      else if (src.startsWith('<![CDATA[', lt)) this.cdata();
      else if (src.startsWith('<!DOCTYPE', lt)) this.doctype();
      else if (src.startsWith('<?', lt)) this.instruction();
      else if (src.startsWith('</', lt)) this.endTag();
      else this.startTag();
    }
    if (this.stack.length > 0) throw new ReadError(`<${this.stack[this.stack.length - 1].el.name}> is never closed`, this.line);
    if (!this.root) throw new ReadError('no element found', this.line);
    return { root: this.root, prolog: this.prolog };
  }

  private advanceTo(target: number): void {
    for (let i = this.src.indexOf('\n', this.pos); i >= 0 && i < target; i = this.src.indexOf('\n', i + 1)) this.line++;
    this.pos = target;
  }

  private addText(raw: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top) {
      top.text.push(decodeEntities(raw, this.mode, this.line));
    } else if (raw.trim() !== '') {
      if (this.mode === 'xml') throw new ReadError(`text outside the element: "${raw.trim().slice(0, 40)}"`, this.line);
      this.prolog.push({ kind: 'text', text: raw.trim(), line: this.line });
    }
    this.advanceTo(this.pos + raw.length);
  }

  private until(marker: string, what: string): number {
    const at = this.src.indexOf(marker, this.pos);
    if (at < 0) throw new ReadError(`${what} is never closed`, this.line);
    return at;
  }

  private comment(): void {
    const end = this.until('-->', 'comment');
    const body = this.src.slice(this.pos + 4, end);
    const top = this.stack[this.stack.length - 1];
    if (top) top.el.comments.push({ text: body, line: this.line });
    else this.prolog.push({ kind: 'comment', text: body, line: this.line });
    this.advanceTo(end + 3);
  }

  private cdata(): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) throw new ReadError('CDATA outside the element', this.line);
    const end = this.until(']]>', 'CDATA section');
    top.text.push(this.src.slice(this.pos + 9, end));
    this.advanceTo(end + 3);
  }

  private doctype(): void {
    if (this.stack.length > 0 || this.root) throw new ReadError('<!DOCTYPE> must come before the element', this.line);
    const subset = this.src.indexOf('[', this.pos);
    const close = this.until('>', '<!DOCTYPE');
    const end = subset >= 0 && subset < close ? this.src.indexOf('>', this.src.indexOf(']', subset)) : close;
    if (end < 0) throw new ReadError('<!DOCTYPE> is never closed', this.line);
    this.prolog.push({ kind: 'doctype', text: this.src.slice(this.pos, end + 1), line: this.line });
    this.advanceTo(end + 1);
  }

  private instruction(): void {
    const end = this.until('?>', 'processing instruction');
    const body = this.src.slice(this.pos, end + 2);
    const isDeclaration = this.pos === 0 && /^<\?xml\s/.test(body);
    this.prolog.push({ kind: isDeclaration ? 'declaration' : 'instruction', text: body, line: this.line });
    this.advanceTo(end + 2);
  }

  private readName(): string {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.src);
    if (!m) throw new ReadError(`a tag name was expected at "${this.src.slice(this.pos, this.pos + 20)}"`, this.line);
    this.pos += m[0].length;
    return m[0];
  }

  private skipSpace(): void {
    SPACE.lastIndex = this.pos;
    const skipped = SPACE.exec(this.src)?.[0] ?? '';
    if (skipped.length > 0) this.advanceTo(this.pos + skipped.length);
  }

  private startTag(): void {
    if (this.root && this.stack.length === 0) throw new ReadError('a second top-level element (XML has one root)', this.line);
    const line = this.line;
    this.pos++;
    const el: XmlElement = { name: this.readName(), attributes: [], children: [], text: '', line, endLine: line, comments: [] };
    for (;;) {
      this.skipSpace();
      if (this.src.startsWith('/>', this.pos)) {
        this.pos += 2;
        el.endLine = this.line;
        this.attach(el);
        return;
      }
      if (this.src[this.pos] === '>') {
        this.pos++;
        this.attach(el);
        this.stack.push({ el, text: [] });
        return;
      }
      if (this.pos >= this.src.length) throw new ReadError(`<${el.name}> is never closed`, line);
      el.attributes.push(this.attribute(el));
    }
  }

  private attribute(el: XmlElement): [string, string] {
    const name = this.readName();
    this.skipSpace();
    if (this.src[this.pos] !== '=') throw new ReadError(`attribute ${name} of <${el.name}> has no ="value"`, this.line);
    this.pos++;
    this.skipSpace();
    const quote = this.src[this.pos];
    let raw: string;
    if (quote === '"' || quote === "'") {
      const end = this.src.indexOf(quote, this.pos + 1);
      if (end < 0) throw new ReadError(`attribute ${name} of <${el.name}> has no closing quote`, this.line);
      raw = this.src.slice(this.pos + 1, end);
      this.advanceTo(end + 1);
    } else if (this.mode === 'erddap') {
      UNQUOTED.lastIndex = this.pos;
      raw = UNQUOTED.exec(this.src)?.[0] ?? '';
      this.pos += raw.length;
    } else {
      throw new ReadError(`attribute ${name} of <${el.name}> must be quoted`, this.line);
    }
    if (this.mode === 'xml') {
      if (raw.includes('<')) throw new ReadError(`attribute ${name} of <${el.name}> holds a raw <`, this.line);
      if (el.attributes.some(([n]) => n === name)) throw new ReadError(`attribute ${name} is given twice on <${el.name}>`, this.line);
      raw = raw.replace(/[\n\t]/g, ' '); // XML attribute-value normalization
    }
    return [name, decodeEntities(raw, this.mode, this.line)];
  }

  private attach(el: XmlElement): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.el.children.push(el);
    else this.root = el;
  }

  private endTag(): void {
    this.pos += 2;
    const name = this.readName();
    this.skipSpace();
    if (this.src[this.pos] !== '>') throw new ReadError(`</${name} is not closed with >`, this.line);
    this.pos++;
    const open = this.stack.pop();
    if (!open) throw new ReadError(`</${name}> has no start tag`, this.line);
    if (open.el.name !== name) throw new ReadError(`</${name}> closes <${open.el.name}> (opened on line ${open.el.line})`, this.line);
    open.el.text = trimErddap(open.text.join(''));
    open.el.endLine = this.line;
  }
}
