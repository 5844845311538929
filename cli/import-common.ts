// What the `import` commands share: reading a server's XML file in its declared encoding,
// choosing the server key in steller.yaml, and naming a new project.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, type Document } from 'yaml';
import { DNS_LABEL } from '../schemas/model.js';
import { UsageError } from './common.js';

/** An XML file as text, decoded as its declaration says (UTF-8 when it says nothing). */
export function readXmlText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const declaration = bytes.subarray(0, 200).toString('latin1');
  const encoding = /^\s*<\?xml[^>]*encoding=["']([A-Za-z0-9_-]+)["']/.exec(declaration)?.[1]?.toLowerCase() ?? 'utf-8';
  try {
    return new TextDecoder(encoding === 'iso-8859-1' || encoding === 'latin1' ? 'latin1' : encoding, { fatal: true }).decode(bytes);
  } catch (error) {
    throw new UsageError(`${file} is not valid ${encoding} text: ${(error as Error).message}`);
  }
}

/** `--server`, or the only server of that kind in steller.yaml, or the kind's name. */
export function serverKeyFor(project: Document | undefined, kind: 'erddap' | 'thredds', given: string | undefined): string {
  const servers = project?.getIn(['servers', kind]);
  const keys = isMap(servers) ? servers.items.map((item) => String((item.key as { value?: unknown }).value ?? item.key)) : [];
  if (given !== undefined) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(given)) throw new UsageError(`--server "${given}" is not a server key (letters, digits, _ . -)`);
    return given;
  }
  if (keys.length === 1) return keys[0];
  if (keys.length > 1) throw new UsageError(`steller.yaml has several ${kind} servers (${keys.join(', ')}): say which with --server`);
  return kind;
}

/** A project name (a DNS label) from the catalog folder's name. */
export function projectNameFor(folder: string): string {
  const name = folder.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
  return DNS_LABEL.test(name) ? name : 'imported';
}

/** Writes one imported dataset's YAML into `folder`; an existing file is kept unless `force`. */
export function writeImportedFile(folder: string, stem: string, yaml: () => string, force: boolean): { path: string; skipped: boolean } {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${stem}.yaml`);
  const skipped = existsSync(path) && !force;
  if (!skipped) writeFileSync(path, yaml());
  return { path, skipped };
}
