// A file of many small entries kept as bytes (the build cache's records and fragments): written
// in one go, read back as views into one buffer. V8's serializer handles a map of 60,000 buffers
// through its slow host-object path; this is a length-prefixed list.
//   "STELLER-ENTRIES 1\n", u32 header length, header (JSON), then per entry:
//   u32 key length, key (UTF-8), u32 value length, value
import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { FileWriter } from './file-writer.js';

const MAGIC = Buffer.from('STELLER-ENTRIES 1\n', 'latin1');

export interface Entries {
  header: unknown;
  entries: Map<string, Uint8Array>;
}

/**
 * Writes the entries file atomically (a temporary file, then a rename). Entries are grouped by
 * their key's *section*, the part before its first NUL (a generator's name, for fragments), and
 * the header says where each section lies: a patch build that wants one generator's fragments of
 * 60,000 reads that section alone (`readLayered` with `keyPrefixes`).
 */
export function writeEntries(file: string, header: object, entries: ReadonlyMap<string, Uint8Array>): void {
  const bySection = new Map<string, [Buffer, Uint8Array][]>();
  for (const [key, value] of entries) {
    const name = sectionOf(key);
    const section = bySection.get(name) ?? [];
    bySection.set(name, section);
    section.push([Buffer.from(key, 'utf8'), value]);
  }
  const sections: Record<string, [start: number, end: number]> = {};
  let offset = 0;
  for (const [name, section] of bySection) {
    const start = offset;
    for (const [key, value] of section) offset += 8 + key.length + value.length;
    sections[name] = [start, offset];
  }
  writeAtomically(file, (writer) => {
    const length = Buffer.allocUnsafe(4);
    const prefixed = (bytes: Uint8Array) => {
      length.writeUInt32LE(bytes.length);
      writer.write(length);
      writer.write(bytes);
    };
    writer.write(MAGIC);
    prefixed(Buffer.from(JSON.stringify({ ...header, sections }), 'utf8'));
    for (const section of bySection.values()) {
      for (const [key, value] of section) {
        prefixed(key);
        prefixed(value);
      }
    }
  });
}

function sectionOf(key: string): string {
  const end = key.indexOf('\0');
  return end < 0 ? '' : key.slice(0, end);
}

/** Writes a file through `write` into a temporary beside it, then renames it over: never a torn file. */
export function writeAtomically(file: string, write: (writer: FileWriter) => void): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const writer = new FileWriter(openSync(temporary, 'w'));
  try {
    write(writer);
  } catch (error) {
    writer.abort();
    throw error;
  }
  writer.close();
  renameSync(temporary, file);
}

/**
 * A file's entries with those of its overlay (`<file>.patch`, written by patch builds) over them;
 * `base: false` reads the overlay alone. Headers are checked by `valid`; an invalid part counts as
 * absent. The header is the overlay's when it has one.
 */
export function readLayered(
  file: string, valid: (header: unknown) => boolean, options: { base?: boolean; keyPrefixes?: readonly string[] } = {},
): { header: unknown; entries: Map<string, Uint8Array>; overlay: Map<string, Uint8Array> } | undefined {
  const base = options.base === false ? undefined : readValid(file, valid, options.keyPrefixes);
  const overlay = readValid(overlayOf(file), valid, options.keyPrefixes);
  if (!base && !overlay) return undefined;
  const entries = base?.entries ?? new Map<string, Uint8Array>();
  for (const [key, value] of overlay?.entries ?? []) entries.set(key, value);
  return { header: overlay?.header ?? base?.header, entries, overlay: overlay?.entries ?? new Map() };
}

export function overlayOf(file: string): string {
  return `${file}.patch`;
}

function readValid(file: string, valid: (header: unknown) => boolean, keyPrefixes?: readonly string[]): Entries | undefined {
  try {
    const stored = (keyPrefixes && readSections(file, keyPrefixes)) || unpackEntries(readFileSync(file), keyPrefixes);
    return stored && valid(stored.header) ? stored : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The entries of the sections `keyPrefixes` name (each `<section>\0`), read alone; undefined when
 * the file has no sections in its header or a prefix is not a section's, and then it is read whole.
 */
function readSections(file: string, keyPrefixes: readonly string[]): Entries | undefined {
  const names = keyPrefixes.map((prefix) => (prefix.indexOf('\0') === prefix.length - 1 ? prefix.slice(0, -1) : undefined));
  if (names.some((name) => name === undefined)) return undefined;
  const fd = openSync(file, 'r');
  try {
    const head = readHead(fd, MAGIC);
    const header = head && (JSON.parse(head.toString('utf8')) as { sections?: Record<string, [number, number]> });
    if (!head || !header?.sections) return undefined;
    const dataStart = MAGIC.length + 4 + head.length;
    const entries = new Map<string, Uint8Array>();
    for (const name of new Set(names as string[])) {
      const range = header.sections[name];
      if (!range) continue;
      const bytes = Buffer.allocUnsafe(range[1] - range[0]);
      if (readSync(fd, bytes, 0, bytes.length, dataStart + range[0]) < bytes.length || !scanEntries(bytes, 0, entries)) return undefined;
    }
    return { header, entries };
  } finally {
    closeSync(fd);
  }
}

/** The header alone, read from the start of the file. */
export function readHeader(file: string): unknown {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = readHead(fd, MAGIC);
    return head && JSON.parse(head.toString('utf8'));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The header's bytes, after `magic` and its u32 length. */
function readHead(fd: number, magic: Buffer): Buffer | undefined {
  const start = Buffer.alloc(magic.length + 4);
  if (readSync(fd, start, 0, start.length, 0) < start.length || !start.subarray(0, magic.length).equals(magic)) return undefined;
  const head = Buffer.alloc(start.readUInt32LE(magic.length));
  return readSync(fd, head, 0, head.length, start.length) < head.length ? undefined : head;
}

const INDEXED_MAGIC = Buffer.from('STELLER-INDEXED 1\n', 'latin1');

/**
 * Entries to be read a few at a time: the header holds where each value is, so a reader decodes
 * the header and reads only the values it asks for.
 *   "STELLER-INDEXED 1\n", u32 header length, header (JSON, with `index`), then the values
 */
export function writeIndexed(file: string, header: object, entries: ReadonlyMap<string, Uint8Array>): void {
  const index: Record<string, [offset: number, length: number]> = {};
  let offset = 0;
  for (const [key, value] of entries) {
    index[key] = [offset, value.length];
    offset += value.length;
  }
  writeAtomically(file, (writer) => {
    const head = Buffer.from(JSON.stringify({ ...header, index }), 'utf8');
    const length = Buffer.allocUnsafe(4);
    length.writeUInt32LE(head.length);
    writer.write(INDEXED_MAGIC);
    writer.write(length);
    writer.write(head);
    for (const value of entries.values()) writer.write(value);
  });
}

/** An indexed entries file whose header passes `valid`, its values read on demand; undefined when there is none. */
export function openIndexed(file: string, valid: (header: unknown) => boolean): { header: unknown; read(key: string): Uint8Array | undefined; close(): void } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const head = readHead(fd, INDEXED_MAGIC);
    const header = head && (JSON.parse(head.toString('utf8')) as { index?: Record<string, [number, number]> });
    if (!head || !header || !valid(header) || !header.index) {
      closeSync(fd);
      return undefined;
    }
    const { index } = header;
    const dataStart = INDEXED_MAGIC.length + 4 + head.length;
    return {
      header,
      read(key) {
        const at = index[key];
        if (!at) return undefined;
        const value = Buffer.alloc(at[1]);
        return readSync(fd, value, 0, at[1], dataStart + at[0]) === at[1] ? value : undefined;
      },
      close: () => closeSync(fd),
    };
  } catch {
    closeSync(fd);
    return undefined;
  }
}

/** Undefined when `bytes` is not a whole entries file (another format, or cut short). With `keyPrefixes`, see `scanEntries`. */
export function unpackEntries(bytes: Buffer, keyPrefixes?: readonly string[]): Entries | undefined {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const dataStart = MAGIC.length + 4 + headerLength;
  if (dataStart > bytes.length) return undefined;
  const entries = new Map<string, Uint8Array>();
  if (!scanEntries(bytes, dataStart, entries, keyPrefixes)) return undefined;
  try {
    return { header: JSON.parse(bytes.toString('utf8', MAGIC.length + 4, dataStart)), entries };
  } catch {
    return undefined;
  }
}

/**
 * Adds the entries from `at` to the end of `bytes` to `entries` (with `keyPrefixes`, those whose
 * key starts with one of them: the others' keys are never decoded); false when cut short.
 */
function scanEntries(bytes: Buffer, at: number, entries: Map<string, Uint8Array>, keyPrefixes?: readonly string[]): boolean {
  const prefixes = keyPrefixes?.map((prefix) => Buffer.from(prefix, 'utf8'));
  /** Whether the `length` bytes at `start` are a wanted key: compared where they are, no copy. */
  const wanted = (start: number, length: number) => !prefixes || prefixes.some((prefix) => length >= prefix.length && bytes.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0);
  /** The next length-prefixed field's length (`at` moves past it), or undefined when cut short. */
  const next = (): number | undefined => {
    if (at + 4 > bytes.length) return undefined;
    const length = bytes.readUInt32LE(at);
    if (at + 4 + length > bytes.length) return undefined;
    at += 4 + length;
    return length;
  };
  while (at < bytes.length) {
    const keyLength = next();
    const keyStart = at - (keyLength ?? 0);
    const valueLength = next();
    if (keyLength === undefined || valueLength === undefined) return false;
    if (wanted(keyStart, keyLength)) entries.set(bytes.toString('utf8', keyStart, keyStart + keyLength), bytes.subarray(at - valueLength, at));
  }
  return true;
}
