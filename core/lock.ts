// steller.lock.json: every output file's sha256 and the datasets it was rendered from. Small
// and dependency-free, so that a build with nothing to do never loads a generator.
import { createHash, hash } from 'node:crypto';
import type { OutputFile } from '../generators/types.js';
import { compareStrings } from './diagnostics.js';

export const LOCK_FILE = 'steller.lock.json';
export const LOCK_VERSION = 1;

export interface LockFile {
  lock_version: number;
  files: Record<string, { sha256: string; datasets: string[] }>;
}

/** The lock of `files`; `hashOf` gives a file's sha256 when the caller knows it already. */
export function lockFileText(files: ReadonlyMap<string, OutputFile>, hashOf: (path: string, file: OutputFile) => string = (_, file) => sha256(file.content)): string {
  const lock: LockFile = { lock_version: LOCK_VERSION, files: {} };
  for (const [path, file] of files) {
    if (path === LOCK_FILE) continue;
    lock.files[path] = { sha256: hashOf(path, file), datasets: [...new Set(file.datasets)].sort(compareStrings) };
  }
  return `${JSON.stringify(lock, null, 2)}\n`;
}

/** One-shot `hash` (Node 20.12+): a third of `createHash`'s cost on the short strings keys are made of. */
export function sha256(content: string | Uint8Array): string {
  return hash('sha256', content, 'hex');
}

/**
 * A sha256 fed many short strings, passed on in 64 KB batches: an update per string cost 10 ms
 * for 10,000 of them. The bytes hashed are the same.
 */
export class BatchedSha256 {
  private readonly hash = createHash('sha256');
  private batch = '';

  add(text: string): this {
    this.batch += text;
    if (this.batch.length > 1 << 16) {
      this.hash.update(this.batch);
      this.batch = '';
    }
    return this;
  }

  digest(encoding: 'hex' | 'base64url'): string {
    return this.hash.update(this.batch).digest(encoding);
  }
}


/**
 * A lock file's entries found in its text, without parsing it whole: a patch build needs a few
 * of its 26,000 entries at 10,000 datasets, and JSON.parse of all 7 MB (with the garbage of every
 * dataset list) costs more than the rest of the patch's bookkeeping. Entries are found by
 * bisecting the text, as `lockFileText` writes them sorted by path; `of` refuses any other layout.
 */
export class LockEntries {
  private readonly values = new Map<string, number | undefined>();

  private constructor(private readonly bytes: Buffer) {}

  static of(bytes: Buffer): LockEntries | undefined {
    return bytes.subarray(0, LOCK_HEADER.length).equals(LOCK_HEADER) ? new LockEntries(bytes) : undefined;
  }

  /** Where the entry's sha256 (64 hex digits) is in the text. */
  sha256At(path: string): number | undefined {
    const value = this.valueAt(path);
    if (value === undefined) return undefined;
    if (this.bytes.compare(SHA_PREFIX, 0, SHA_PREFIX.length, value, value + SHA_PREFIX.length) !== 0) throw new Error(`${path}'s entry in the lock is not laid out as steller writes it`);
    return value + SHA_PREFIX.length;
  }

  sha256(path: string): string | undefined {
    const at = this.sha256At(path);
    return at === undefined ? undefined : this.bytes.toString('latin1', at, at + 64);
  }

  datasets(path: string): string[] | undefined {
    const value = this.valueAt(path);
    if (value === undefined) return undefined;
    const end = this.bytes.indexOf(ENTRY_END, value);
    return (JSON.parse(this.bytes.toString('utf8', value, end + ENTRY_END.length)) as LockFile['files'][string]).datasets;
  }

  /**
   * The lock with these entries' sha256 (and, where given, datasets) replaced, as `lockFileText`
   * would write it: a new sha256 is written in its place; an entry with new datasets is written
   * anew, as JSON.stringify lays out an entry at its depth. Undefined when a path is not in it.
   */
  patched(entries: ReadonlyMap<string, { sha256: string; datasets?: readonly string[] }>): Buffer | undefined {
    const bytes = Buffer.from(this.bytes);
    const rewritten: { start: number; end: number; text: string }[] = [];
    for (const [path, entry] of entries) {
      const value = this.valueAt(path);
      if (value === undefined) return undefined;
      if (entry.datasets === undefined) {
        bytes.write(entry.sha256, this.sha256At(path) as number, 'latin1');
        continue;
      }
      const text = JSON.stringify({ sha256: entry.sha256, datasets: [...new Set(entry.datasets)].sort(compareStrings) }, null, 2).replaceAll('\n', `\n${ENTRY_INDENT}`);
      rewritten.push({ start: value, end: this.bytes.indexOf(ENTRY_END, value) + ENTRY_END.length, text });
    }
    if (rewritten.length === 0) return bytes;
    const parts: Buffer[] = [];
    let at = 0;
    for (const { start, end, text } of rewritten.sort((a, b) => a.start - b.start)) {
      parts.push(bytes.subarray(at, start), Buffer.from(text, 'utf8'));
      at = end;
    }
    parts.push(bytes.subarray(at));
    return Buffer.concat(parts);
  }

  /** The offset of the entry's `{`: entries starting in [low, high) are the candidates left. */
  private valueAt(path: string): number | undefined {
    if (this.values.has(path)) return this.values.get(path);
    let value: number | undefined;
    for (let low = LOCK_HEADER.length - 1, high = this.bytes.length; low < high && value === undefined;) {
      const middle = Math.floor((low + high) / 2);
      const start = this.bytes.indexOf(ENTRY_START, middle);
      if (start < 0 || start >= high) {
        high = middle;
        continue;
      }
      const keyEnd = this.bytes.indexOf(KEY_END, start);
      const text = this.bytes.toString('utf8', start + ENTRY_START.length, keyEnd);
      const order = compareStrings(text.includes('\\') ? (JSON.parse(`"${text}"`) as string) : text, path);
      if (order === 0) value = keyEnd + KEY_END.length - 1;
      else if (order < 0) low = start + 1;
      else high = middle;
    }
    this.values.set(path, value);
    return value;
  }
}

const LOCK_HEADER = Buffer.from(`{\n  "lock_version": ${LOCK_VERSION},\n  "files": {\n`);
/** An entry's key: four spaces in, where the datasets of an entry are eight. */
const ENTRY_START = Buffer.from('\n    "');
const KEY_END = Buffer.from('": {');
const SHA_PREFIX = Buffer.from('{\n      "sha256": "');
const ENTRY_END = Buffer.from('\n    }');
/** How deep an entry's value is indented (`files` is the lock's second level). */
const ENTRY_INDENT = '    ';
