// A file of many small entries kept as bytes (the build cache's records and fragments): written
// in one go, read back as views into one buffer. V8's serializer handles a map of 60,000 buffers
// through its slow host-object path; this is a length-prefixed list.
//   "STELLER-ENTRIES 1\n", u32 header length, header (JSON), then per entry:
//   u32 key length, key (UTF-8), u32 value length, value
import { mkdirSync, openSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { FileWriter } from './file-writer.js';

const MAGIC = Buffer.from('STELLER-ENTRIES 1\n', 'latin1');

export interface Entries {
  header: unknown;
  entries: Map<string, Uint8Array>;
}

/** Writes the entries file atomically (a temporary file, then a rename). */
export function writeEntries(file: string, header: unknown, entries: ReadonlyMap<string, Uint8Array>): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const writer = new FileWriter(openSync(temporary, 'w'));
  const length = Buffer.allocUnsafe(4);
  const prefixed = (bytes: Uint8Array) => {
    length.writeUInt32LE(bytes.length);
    writer.write(length);
    writer.write(bytes);
  };
  try {
    writer.write(MAGIC);
    prefixed(Buffer.from(JSON.stringify(header), 'utf8'));
    for (const [key, value] of entries) {
      prefixed(Buffer.from(key, 'utf8'));
      prefixed(value);
    }
  } catch (error) {
    writer.abort();
    throw error;
  }
  writer.close();
  renameSync(temporary, file);
}

/** Undefined when `bytes` is not a whole entries file (another format, or cut short). */
export function unpackEntries(bytes: Buffer): Entries | undefined {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  let at = MAGIC.length;
  const take = (): Buffer | undefined => {
    if (at + 4 > bytes.length) return undefined;
    const length = bytes.readUInt32LE(at);
    if (at + 4 + length > bytes.length) return undefined;
    at += 4 + length;
    return bytes.subarray(at - length, at);
  };
  const headerBytes = take();
  if (!headerBytes) return undefined;
  const entries = new Map<string, Uint8Array>();
  while (at < bytes.length) {
    const key = take();
    const value = take();
    if (!key || !value) return undefined;
    entries.set(key.toString('utf8'), value);
  }
  try {
    return { header: JSON.parse(headerBytes.toString('utf8')), entries };
  } catch {
    return undefined;
  }
}
