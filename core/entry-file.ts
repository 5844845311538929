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

/** Writes the entries file atomically (a temporary file, then a rename). */
export function writeEntries(file: string, header: unknown, entries: ReadonlyMap<string, Uint8Array>): void {
  writeAtomically(file, (writer) => {
    const length = Buffer.allocUnsafe(4);
    const prefixed = (bytes: Uint8Array) => {
      length.writeUInt32LE(bytes.length);
      writer.write(length);
      writer.write(bytes);
    };
    writer.write(MAGIC);
    prefixed(Buffer.from(JSON.stringify(header), 'utf8'));
    for (const [key, value] of entries) {
      prefixed(Buffer.from(key, 'utf8'));
      prefixed(value);
    }
  });
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
    const stored = unpackEntries(readFileSync(file), keyPrefixes);
    return stored && valid(stored.header) ? stored : undefined;
  } catch {
    return undefined;
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

/**
 * Undefined when `bytes` is not a whole entries file (another format, or cut short). With
 * `keyPrefixes`, only the entries whose key starts with one of them (the others' keys are never
 * decoded: a patch build wants one generator's of 60,000).
 */
export function unpackEntries(bytes: Buffer, keyPrefixes?: readonly string[]): Entries | undefined {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const prefixes = keyPrefixes?.map((prefix) => Buffer.from(prefix, 'utf8'));
  /** Whether the `length` bytes at `start` are a wanted key: compared where they are, no copy. */
  const wanted = (start: number, length: number) => !prefixes || prefixes.some((prefix) => length >= prefix.length && bytes.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0);
  let at = MAGIC.length;
  /** The next length-prefixed field's start and length, or undefined when cut short. */
  const next = (): number | undefined => {
    if (at + 4 > bytes.length) return undefined;
    const length = bytes.readUInt32LE(at);
    if (at + 4 + length > bytes.length) return undefined;
    at += 4 + length;
    return length;
  };
  const headerLength = next();
  if (headerLength === undefined) return undefined;
  const headerBytes = bytes.subarray(at - headerLength, at);
  const entries = new Map<string, Uint8Array>();
  while (at < bytes.length) {
    const keyLength = next();
    const keyStart = at - (keyLength ?? 0);
    const valueLength = next();
    if (keyLength === undefined || valueLength === undefined) return undefined;
    if (wanted(keyStart, keyLength)) entries.set(bytes.toString('utf8', keyStart, keyStart + keyLength), bytes.subarray(at - valueLength, at));
  }
  try {
    return { header: JSON.parse(headerBytes.toString('utf8')), entries };
  } catch {
    return undefined;
  }
}
