// XML Schema validation with two independent judges: xmllint-wasm (libxml2 compiled to wasm, an
// npm package, so it runs everywhere) and Debian's native xmllint when it is installed
// (.ci/run installs libxml2-utils). Schemas are read from disk with the files they import.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { validateXML } from 'xmllint-wasm';

export interface XmlDocument {
  /** A name for messages, e.g. the output path. */
  name: string;
  contents: string;
}

export interface XsdResult {
  valid: boolean;
  /** `name:line: message` lines. */
  errors: string[];
}

/** Flattened, so the names are plain files in the validator's file system. */
const flatName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '__');

/** Validates every document against the schema at `schemaPath`; the other .xsd files of its folder are preloaded for its imports. */
export async function validateWithWasm(schemaPath: string, documents: readonly XmlDocument[]): Promise<XsdResult> {
  const folder = dirname(schemaPath);
  const preload = readdirSync(folder)
    .filter((f) => f.endsWith('.xsd') && f !== basename(schemaPath))
    .map((f) => ({ fileName: f, contents: readFileSync(join(folder, f), 'utf8') }));
  const byFlatName = new Map(documents.map((d) => [flatName(d.name), d.name]));
  const totalBytes = documents.reduce((sum, d) => sum + d.contents.length, 0);
  const result = await validateXML({
    xml: documents.map((d) => ({ fileName: flatName(d.name), contents: d.contents })),
    schema: { fileName: basename(schemaPath), contents: readFileSync(schemaPath, 'utf8') },
    preload,
    // 64 KiB pages: the default 16 MiB is too little for large catalogs.
    maxMemoryPages: Math.min(65536, 4096 + Math.ceil((totalBytes * 20) / 65536)),
  });
  return {
    valid: result.valid,
    errors: result.errors.map((e) => `${byFlatName.get(e.loc?.fileName ?? '') ?? e.loc?.fileName ?? '?'}:${e.loc?.lineNumber ?? '?'}: ${e.message.trim()}`),
  };
}

export const HAS_NATIVE_XMLLINT = spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).status === 0;

/** The same check with the native xmllint (`--nonet`, schema imports resolved next to the schema). */
export function validateWithNative(schemaPath: string, documents: readonly XmlDocument[]): XsdResult {
  const dir = mkdtempSync(join(tmpdir(), 'steller-xsd-'));
  try {
    const files = documents.map((d) => {
      const file = join(dir, flatName(d.name));
      writeFileSync(file, d.contents);
      return file;
    });
    const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schemaPath, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const names = new Map(documents.map((d) => [join(dir, flatName(d.name)), d.name]));
    const errors = run.stderr.split('\n').filter((l) => l.trim() !== '' && !/ validates$/.test(l))
      .map((l) => { for (const [file, name] of names) if (l.startsWith(file)) return name + l.slice(file.length); return l; });
    return { valid: run.status === 0, errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
