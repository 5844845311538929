// Reading one catalog YAML file defensively: size cap, strict UTF-8, one document, no duplicate
// keys, bounded alias expansion (billion laughs). Problems are reported, never thrown.
//
// Two parsers, one meaning. `yaml` keeps source positions and gives precise messages, but parses
// about 3 MB/s; js-yaml is ten times faster and needs no positions when a file is fine. So a
// plain file (no anchors, hence no aliases to expand) is read with js-yaml's YAML 1.2 core schema,
// and anything js-yaml refuses, or any file with anchors, goes through `yaml`, which then reports
// the problem with its line and column. Positions for later diagnostics come from `yaml` on demand
// (core/source.ts).
import jsyaml from 'js-yaml';
import { isAlias, LineCounter, parseAllDocuments, visit, type Document } from 'yaml';
import type { Reporter } from './diagnostics.js';
import type { SourceIndex } from './source.js';

/** Larger than any hand-written dataset record; small enough that a stray data file is caught. */
export const MAX_YAML_BYTES = 1024 * 1024;
/** How many times aliases may be expanded in one file (yaml's own default is also 100). */
export const MAX_ALIAS_COUNT = 100;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface ParsedYaml {
  value: unknown;
  text: string;
}

/** Parses `bytes` of catalog file `file`; undefined when the file has errors (already reported). */
export function parseYamlFile(file: string, bytes: Uint8Array, sources: SourceIndex, report: Reporter): ParsedYaml | undefined {
  const at = { file, line: 1, col: 1 };
  if (bytes.byteLength > MAX_YAML_BYTES) {
    report.error('file-too-large', `file is ${bytes.byteLength} bytes; catalog files may be at most ${MAX_YAML_BYTES}`, at,
      'split the record, or move bulk data out of the catalog');
    return undefined;
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    report.error('not-utf8', 'file is not valid UTF-8', { ...at, line: firstInvalidUtf8Line(bytes) }, 'save the file as UTF-8');
    return undefined;
  }
  sources.register(file, text);
  const fast = parseFast(text);
  if (fast.ok) return { value: fast.value, text };
  return parseCarefully(file, text, sources, report);
}

/** An anchor (`&name`) anywhere outside quotes makes aliases possible: those files take the careful path. */
const ANCHOR = /(^|[\s[{,:-])&[^\s,\]}]/m;

function parseFast(text: string): { ok: true; value: unknown } | { ok: false } {
  if (ANCHOR.test(text)) return { ok: false };
  try {
    const value = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA, json: false });
    // Empty documents are reported by the careful path.
    return value === undefined || value === null ? { ok: false } : { ok: true, value };
  } catch {
    return { ok: false };
  }
}

function parseCarefully(file: string, text: string, sources: SourceIndex, report: Reporter): ParsedYaml | undefined {
  const at = { file, line: 1, col: 1 };
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, merge: true, strict: true });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length === 0 || (list.length === 1 && list[0].contents === null && list[0].errors.length === 0)) {
    report.error('empty-file', 'file has no YAML content', at, 'a catalog file holds one mapping, e.g. `title: …`');
    return undefined;
  }
  const doc = list[0];
  sources.register(file, text, { doc, lines });
  if (list.length > 1) {
    const second = list[1].range?.[0] ?? 0;
    report.error('multiple-documents', 'file holds more than one YAML document; one dataset per file', { file, ...lines.linePos(second) },
      'remove the `---` separator and put each dataset in its own file');
  }
  let failed = false;
  for (const error of doc.errors) {
    failed = true;
    const pos = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
    const code = error.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax';
    const hint = code === 'duplicate-key' ? 'each key may appear once in a mapping; remove or rename one' : undefined;
    report.error(code, firstLine(error.message), { file, line: pos.line, col: pos.col }, hint);
  }
  for (const warning of doc.warnings) {
    const pos = warning.linePos?.[0] ?? lines.linePos(warning.pos[0]);
    // An unresolved tag (`!!python/object`, `!Ref`) would silently become a string: refuse it.
    const isTag = warning.code === 'TAG_RESOLVE_FAILED';
    if (isTag) failed = true;
    (isTag ? report.error.bind(report) : report.warning.bind(report))(isTag ? 'yaml-tag' : 'yaml-warning', firstLine(warning.message),
      { file, line: pos.line, col: pos.col }, isTag ? 'catalog files use plain YAML: remove the tag' : undefined);
  }
  if (failed) return undefined;
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), text };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/alias/i.test(message)) {
      report.error('alias-bomb', `aliases expand too much (more than ${MAX_ALIAS_COUNT} expansions): ${firstLine(message)}`,
        { file, ...lines.linePos(firstAliasOffset(doc)) }, 'write the values out, or use fewer nested aliases');
    } else {
      report.error('yaml-syntax', firstLine(message), at);
    }
    return undefined;
  }
}

function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_, node) {
      if (isAlias(node) && node.range) {
        offset = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return offset;
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

function firstInvalidUtf8Line(bytes: Uint8Array): number {
  let line = 1;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a) line++;
    if (b < 0x80) continue;
    const need = b >= 0xf0 && b <= 0xf4 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b <= 0xdf ? 1 : -1;
    if (need < 0 || (b >= 0xe0 && b < 0xf0 && need !== 2)) return line;
    for (let k = 1; k <= need; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return line;
    i += need;
  }
  return line;
}
