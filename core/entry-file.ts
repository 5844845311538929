// A file of many small entries kept as bytes (the build cache's records and fragments): written
// in one go, read back as views into one buffer. V8's serializer handles a map of 60,000 buffers
// through its slow host-object path; this is a length-prefixed list.
//   "STELLER-ENTRIES 1\n", u32 header length, header (JSON), then per entry:
//   u32 key length, key (UTF-8), u32 value length, value
const MAGIC = Buffer.from('STELLER-ENTRIES 1\n', 'latin1');

export interface Entries {
  header: unknown;
  entries: Map<string, Uint8Array>;
}

export function packEntries(header: unknown, entries: ReadonlyMap<string, Uint8Array>): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const keys = [...entries.keys()].map((key) => Buffer.from(key, 'utf8'));
  let size = MAGIC.length + 4 + headerBytes.length;
  let i = 0;
  for (const value of entries.values()) size += 8 + keys[i++].length + value.length;
  const out = Buffer.allocUnsafe(size);
  let at = MAGIC.copy(out, 0);
  at = out.writeUInt32LE(headerBytes.length, at);
  at += headerBytes.copy(out, at);
  i = 0;
  for (const value of entries.values()) {
    const key = keys[i++];
    at = out.writeUInt32LE(key.length, at);
    at += key.copy(out, at);
    at = out.writeUInt32LE(value.length, at);
    out.set(value, at);
    at += value.length;
  }
  return out;
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
