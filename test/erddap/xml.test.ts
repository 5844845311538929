// The XML layer: what the writer emits survives both ERDDAP's reading (steller's reader in
// `erddap` mode) and a strict XML parser unchanged; the reader reads what ERDDAP reads (HTML
// entities, CDATA, comments, unknown entities kept) and reports malformed input with its line.
// Also the Java-regex check the regex tags use.
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { javaRegexProblem } from '../../generators/erddap/java-regex.js';
import { element, readXml, writeElement } from '../../generators/erddap/xml.js';

/** What a strict parser (saxes) sees as the text of the root and the value of its attribute `v`. */
function strictRead(xml: string): { text: string; v: string } {
  const parser = new SaxesParser();
  let text = '';
  let v = '';
  let depth = 0;
  parser.on('opentag', (tag) => {
    depth++;
    v = String(tag.attributes.v ?? '');
  });
  parser.on('closetag', () => depth--);
  parser.on('text', (t) => { if (depth > 0) text += t; });
  parser.write(xml).close();
  return { text, v };
}

/** ERDDAP's `${…}` substitution leaves `$${` as a literal `${` (commons-text StringSubstitutor). */
const erddapSubstitution = (s: string) => s.replaceAll('$${', '${');
// XML cannot carry most control characters, so values never hold them (the checks report them).
const xmlString = fc.string({ unit: 'binary' }).map((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/g, ''));
const trimmed = (s: string) => s.replace(/^[\u0001-\u0020\u00a0]+|[\u0001-\u0020\u00a0]+$/g, '');

describe('writing XML for ERDDAP', () => {
  it('any text and attribute value reads back the same, in ERDDAP\'s reader and in a strict parser, from ASCII-only output', () => {
    fc.assert(fc.property(xmlString, xmlString, (text, value) => {
      const xml = writeElement(element('att', [['v', value]], text));
      expect(/^[\x20-\x7e\n\t]*$/.test(xml)).toBe(true);
      const read = readXml(xml, 'erddap');
      expect(read.ok).toBe(true);
      if (!read.ok) return;
      expect(erddapSubstitution(read.document.root.text)).toBe(trimmed(text));
      expect(erddapSubstitution(read.document.root.attributes[0][1])).toBe(value);
      const strict = strictRead(xml);
      expect(erddapSubstitution(strict.text)).toBe(text);
      expect(erddapSubstitution(strict.v)).toBe(value);
    }), { numRuns: 300 });
  });

  it('escapes markup, `]]>` and `${`, and writes non-ASCII as character references', () => {
    expect(writeElement(element('att', [['name', 'a"b<c>']], 'Cape & Islands <buoy> ]]> ${x} caf\u00e9 \u{1F30A}')))
      .toBe('<att name="a&quot;b&lt;c&gt;">Cape &amp; Islands &lt;buoy&gt; ]]&gt; $${x} caf&#233; &#127754;</att>');
  });

  it('keeps a whole-value lookup for ERDDAP to substitute in configuration, and escapes any other', () => {
    const el = element('user', [['password', '${env:HASH}'], ['roles', 'a ${x}']], '${env:DB_PASSWORD}');
    expect(writeElement(el)).toBe('<user password="$${env:HASH}" roles="a $${x}">$${env:DB_PASSWORD}</user>');
    el.lookup = true;
    expect(writeElement(el)).toBe('<user password="${env:HASH}" roles="a $${x}">${env:DB_PASSWORD}</user>');
  });

  it('indents four spaces a level and closes empty elements', () => {
    expect(writeElement(element('dataset', [['type', 'T']], [element('a', [], 'x'), element('b', [], [element('att', [['name', 'n']])])])))
      .toBe('<dataset type="T">\n    <a>x</a>\n    <b>\n        <att name="n"/>\n    </b>\n</dataset>');
  });
});

describe('reading XML the way ERDDAP does', () => {
  const read = (xml: string, mode: 'xml' | 'erddap' = 'erddap') => {
    const result = readXml(xml, mode);
    if (!result.ok) throw new Error(`line ${result.line}: ${result.message}`);
    return result.document;
  };

  it('decodes ERDDAP\'s HTML entities, keeps unknown ones, reads CDATA literally and trims text', () => {
    const doc = read('<?xml version="1.0"?>\n<r>\n  &deg;C &nbsp;x &quot;q&quot; &bogus; &#233;&#x41; <![CDATA[<b>&amp;</b>]]>  \n</r>');
    expect(doc.root.text).toBe('\u00b0C \u00a0x "q" &bogus; \u00e9A <b>&amp;</b>');
  });

  it('keeps comments with their line, and the prologue', () => {
    const doc = read('<?xml version="1.0"?>\n<!-- top -->\n<r>\n<!-- in -->\n<a/>\n</r>');
    expect(doc.prolog.map((p) => p.kind)).toEqual(['declaration', 'comment']);
    expect(doc.root.comments).toEqual([{ text: ' in ', line: 4 }]);
    expect(doc.root.children[0].line).toBe(5);
  });

  it('reports malformed XML with its line, never throws', () => {
    expect(readXml('<r>\n<a>\n</b>\n</r>', 'erddap')).toMatchObject({ ok: false, line: 3 });
    expect(readXml('<r>\n<a x="1>\n</r>', 'erddap')).toMatchObject({ ok: false });
    expect(readXml('<r>&nbsp;</r>', 'xml')).toMatchObject({ ok: false, message: expect.stringContaining('&nbsp;') });
    expect(readXml('<r>a & b</r>', 'xml')).toMatchObject({ ok: false });
    expect(readXml('<r/><r/>', 'xml')).toMatchObject({ ok: false });
    expect(readXml('<r><!-- open </r>', 'erddap')).toMatchObject({ ok: false });
  });
});

describe('Java regular expressions, as Pattern.compile takes them', () => {
  const valid = ['.*\\.nc', 'A01_met_.*\\.nc', 'avhrr_\\d{8}\\.nc', '[^/]+/(?i)data(?-i)/.*', '\\Qa.b\\E.*', 'x*+y', '(?>ab)c', '\\p{Alpha}+\\z', '[a-z&&[^e]]+', '\\h\\R', '.{2,}'];
  const invalid = ['*\\.nc', '.*/${year}/.*', '(unclosed', '[abc', 'a{1,2', '\\y', '\\0', '\\xZZ', 'trailing\\'];
  for (const pattern of valid) it(`accepts ${pattern}`, () => expect(javaRegexProblem(pattern)).toBeUndefined());
  for (const pattern of invalid) it(`rejects ${pattern}`, () => expect(javaRegexProblem(pattern)).toBeTypeOf('string'));
});
