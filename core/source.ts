// Source texts of the catalog, and the mapping from a YAML path to `line:col`.
// Parsed documents are large next to their text, so only the text is kept for every file and a
// document is re-parsed on demand (positions are only needed to report a problem).
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

export type YamlPath = readonly (string | number)[];

export interface Position {
  line: number;
  col: number;
}

interface Parsed {
  doc: Document;
  lines: LineCounter;
}

const PARSED_CACHE_SIZE = 32;

export class SourceIndex {
  private readonly texts = new Map<string, string | (() => string)>();
  private readonly parsed = new Map<string, Parsed>();

  /**
   * Registers a file's text, or a function that decodes it when a diagnostic first needs it;
   * `parsed` saves a re-parse when the caller has the document at hand.
   */
  register(file: string, text: string | (() => string), parsed?: Parsed): void {
    this.texts.set(file, text);
    this.parsed.delete(file);
    if (parsed) this.remember(file, parsed);
  }

  text(file: string): string | undefined {
    const entry = this.texts.get(file);
    if (typeof entry !== 'function') return entry;
    const text = entry();
    this.texts.set(file, text);
    return text;
  }

  position(file: string, path: YamlPath, atKey: boolean): Position {
    const parsed = this.document(file);
    if (!parsed) return { line: 1, col: 1 };
    const offset = offsetOf(parsed.doc, path, atKey);
    const { line, col } = parsed.lines.linePos(offset);
    return { line, col };
  }

  /** A few lines around `line`, numbered, with a caret under `col`: the code frame of a diagnostic. */
  frame(file: string, line: number, col: number, context = 1): string[] {
    const text = this.text(file);
    if (text === undefined) return [];
    const lines = text.split(/\r?\n/);
    const first = Math.max(1, line - context);
    const last = Math.min(lines.length, line + context);
    const width = String(last).length;
    const out: string[] = [];
    for (let n = first; n <= last; n++) {
      const marker = n === line ? '>' : ' ';
      out.push(`${marker} ${String(n).padStart(width)} | ${lines[n - 1]}`);
      if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, col - 1))}^`);
    }
    return out;
  }

  private document(file: string): Parsed | undefined {
    const cached = this.parsed.get(file);
    if (cached) return cached;
    const text = this.text(file);
    if (text === undefined) return undefined;
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
    const parsed = { doc, lines };
    this.remember(file, parsed);
    return parsed;
  }

  private remember(file: string, parsed: Parsed): void {
    this.parsed.set(file, parsed);
    if (this.parsed.size > PARSED_CACHE_SIZE) {
      const oldest = this.parsed.keys().next().value;
      if (oldest !== undefined) this.parsed.delete(oldest);
    }
  }
}

/** Offset of the node at `path`, or of the deepest existing ancestor when the path runs out. */
function offsetOf(doc: Document, path: YamlPath, atKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
      if (!pair) break;
      const keyStart = rangeStart(pair.key);
      if (last && atKey && keyStart !== undefined) return keyStart;
      const valueStart = rangeStart(pair.value);
      node = pair.value;
      offset = valueStart ?? keyStart ?? offset;
      if (valueStart === undefined) break;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      const start = rangeStart(item);
      if (start === undefined) break;
      node = item;
      offset = start;
    } else {
      break;
    }
  }
  return offset;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
