// Which datasets a change to a shared file (datasets.xml, a THREDDS catalog, data.json, a DCAT
// graph) belongs to. The lock file says which datasets produced the file, not which lines. Every
// generator writes a dataset as one indented block that names its id somewhere inside (the
// datasetID attribute, an identifier, a URL), so a line belongs to the dataset named in the
// smallest enclosing block that names exactly one. A line naming several (a list of all
// datasets) or sitting in a block that names many (server settings, headers) belongs to none:
// such a change is reported for the file, not pinned on a dataset.
import { diffLines, splitLines } from './lines.js';

export interface Attribution {
  datasets: Set<string>;
  /** A changed line belongs to no single dataset (a header, a shared list or setting). */
  unattributed: boolean;
}

export function attributeChange(before: string, after: string, datasetIds: Iterable<string>): Attribution {
  const tokens = idTokens(datasetIds);
  const [a, b] = [splitLines(before), splitLines(after)];
  const sides = [new Side(a.lines, tokens), new Side(b.lines, tokens)] as const;
  const result: Attribution = { datasets: new Set(), unattributed: false };
  for (const edit of diffLines(a, b)) {
    if (edit.kind === 'equal') continue;
    const changed = [
      ...range(edit.aStart, edit.aEnd).map((i) => [sides[0], i] as const),
      ...range(edit.bStart, edit.bEnd).map((j) => [sides[1], j] as const),
    ];
    // Lines found once in their text say where the change is; lines repeated in every block
    // (`},`, `"@type": "dcat:Dataset",`, `</dataset>`) could sit at either end of one, so they
    // count only when nothing else changed.
    const telling = changed.filter(([side, i]) => side.isUnique(i));
    for (const [side, i] of telling.length > 0 ? telling : changed) {
      const owner = side.owner(i);
      if (owner === undefined) result.unattributed = true;
      else result.datasets.add(owner);
    }
  }
  return result;
}

/** A function giving the datasets a text names (by any spelling of their ids); build it once per file. */
export function datasetNamer(datasetIds: Iterable<string>): (text: string) => Set<string> {
  const tokens = idTokens(datasetIds);
  return (text) => new Set(idsNamedIn(text, tokens));
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, k) => start + k);
}

// How generators spell a dataset's id: as is; as an ERDDAP datasetID (other characters → "_");
// as a CKAN name (lower case); as a Kubernetes label or name (lower case, other characters → "-").
// A spelling two datasets share is no evidence and is dropped.
function idTokens(ids: Iterable<string>): Map<string, string> {
  const tokens = new Map<string, string>();
  const variants = new Map<string, string | null>();
  for (const id of ids) {
    tokens.set(id, id);
    const lower = id.toLowerCase();
    for (const variant of [id.replace(/[^A-Za-z0-9_]/g, '_'), lower, lower.replace(/[^a-z0-9]+/g, '-')]) {
      if (variant === id) continue;
      variants.set(variant, variants.has(variant) && variants.get(variant) !== id ? null : id);
    }
  }
  for (const [variant, id] of variants) if (id !== null && !tokens.has(variant)) tokens.set(variant, id);
  return tokens;
}

const MANY = Symbol('many');
type Named = string | typeof MANY | undefined;

/** One side of the change: its lines, what each names, and the indentation tree over them. */
class Side {
  private readonly named: Named[];
  private readonly parent: Int32Array;
  /** The one dataset named in the line's block (the line and the deeper lines under it), or MANY. */
  private readonly blockNames: Named[];
  private readonly counts = new Map<string, number>();

  constructor(private readonly lines: readonly string[], tokens: ReadonlyMap<string, string>) {
    this.named = lines.map((line) => namedIn(line, tokens));
    for (const line of lines) this.counts.set(line, (this.counts.get(line) ?? 0) + 1);
    // Slot lines.length is a virtual document marker before the first line: in a multi-document
    // YAML file the first document usually has no `---` of its own.
    this.parent = new Int32Array(lines.length + 1).fill(-1);
    this.blockNames = [...this.named, undefined];
    const stack: { line: number; depth: number }[] = lines.some(isDocumentMarker) ? [{ line: lines.length, depth: -1 }] : [];
    const close = (until: number) => {
      while (stack.length > 0 && stack[stack.length - 1].depth >= until) {
        const done = stack.pop()!;
        const up = this.parent[done.line];
        if (up >= 0) this.blockNames[up] = merge(this.blockNames[up], this.blockNames[done.line]);
      }
    };
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const d = depth(line);
      close(d);
      this.parent[i] = stack.length > 0 ? stack[stack.length - 1].line : -1;
      stack.push({ line: i, depth: d });
    });
    close(-Infinity);
  }

  isUnique(i: number): boolean {
    return this.counts.get(this.lines[i]) === 1 && /[A-Za-z0-9]/.test(this.lines[i]);
  }

  owner(i: number): string | undefined {
    if (this.named[i] === MANY) return undefined;
    for (let at = i; at >= 0; at = this.parent[at]) {
      const name = this.blockNames[at];
      if (name === MANY) return undefined;
      if (name !== undefined) return name;
    }
    return undefined;
  }
}

function isDocumentMarker(line: string): boolean {
  return /^---(\s|$)/.test(line);
}

// A YAML document marker opens a block of its own, above the document's top-level keys.
function depth(line: string): number {
  return isDocumentMarker(line) ? -1 : line.length - line.trimStart().length;
}

function merge(a: Named, b: Named): Named {
  if (a === undefined) return b;
  if (b === undefined || a === b) return a;
  return MANY;
}

// A word of id characters matches as is, or without its extensions (PORTS_CC_realtime.xml).
function* idsNamedIn(text: string, tokens: ReadonlyMap<string, string>): Generator<string> {
  for (const match of text.matchAll(/[A-Za-z0-9_.-]+/g)) {
    for (let word = match[0]; ; ) {
      const id = tokens.get(word);
      if (id !== undefined) {
        yield id;
        break;
      }
      const dot = word.lastIndexOf('.');
      if (dot <= 0) break;
      word = word.slice(0, dot);
    }
  }
}

function namedIn(line: string, tokens: ReadonlyMap<string, string>): Named {
  let found: Named;
  for (const id of idsNamedIn(line, tokens)) found = merge(found, id);
  return found;
}
