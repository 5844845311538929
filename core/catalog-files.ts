// The catalog folder as files: steller.yaml's bytes and every dataset file's hash, read in
// code-point order. Kept free of the YAML and schema libraries, so that a build with nothing to
// do answers before loading them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BatchedSha256, sha256 } from './lock.js';
import { compareStrings } from './diagnostics.js';
import { recordedHash, stampOf, type FileStamp, type FileStamps } from './file-stamps.js';

export const PROJECT_FILE = 'steller.yaml';
export const DATASETS_DIR = 'datasets';

/** A usage or I/O problem (no catalog folder at all): exit code 2 rather than 1. */
export class CatalogAccessError extends Error {}

export interface CatalogFiles {
  project?: Uint8Array;
  /** Dataset files by catalog-relative path, in code-point order. */
  datasets: Map<string, CatalogFile>;
  /** A hash over every file of the catalog folder: equal hashes, equal catalogs. */
  inputsHash: string;
  /** The same over steller.yaml and the files that are not datasets (templates). */
  othersHash: string;
  warnings: string[];
  /** Every dataset file's stamp, for the next build's `readCatalogFiles`. */
  stamps: FileStamps;
  /** How many dataset files had to be read (the rest kept their recorded hash). */
  filesRead: number;
}

/** A dataset file: its sha256, and its bytes, read on first use when the hash came from a stamp. */
export interface CatalogFile {
  hash: string;
  bytes(): Uint8Array;
}

/**
 * Reads steller.yaml and every `datasets/**\/*.y{a,}ml`, sorted in code-point order so that file
 * order on disk never matters. Other files (templates) enter the inputs hash by size and mtime.
 * A dataset file whose stamp in `known` shows it unchanged is not read: its bytes load on demand.
 */
export function readCatalogFiles(root: string, known?: FileStamps): CatalogFiles {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new CatalogAccessError(`catalog folder not found: ${root}`);
  const hash = new BatchedSha256();
  const others = new BatchedSha256();
  const datasets = new Map<string, CatalogFile>();
  const warnings: string[] = [];
  const stamps: FileStamps = { takenAt: Date.now(), files: {} };
  let filesRead = 0;
  let project: Uint8Array | undefined;
  const addLine = (line: string, other: boolean) => {
    hash.add(line);
    if (other) others.add(line);
  };
  const walk = (relative: string): void => {
    const entries = readdirSync(relative ? join(root, relative) : root, { withFileTypes: true }).sort((a, b) => compareStrings(a.name, b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) {
        if (path.startsWith(`${DATASETS_DIR}/`) && /\.ya?ml$/i.test(entry.name)) {
          warnings.push(path);
          others.add(`${path}\0symlink\0`);
        }
      } else if (entry.isDirectory()) {
        walk(path);
      } else if (entry.isFile()) {
        const isDataset = path.startsWith(`${DATASETS_DIR}/`) && /\.ya?ml$/i.test(entry.name);
        if (isDataset) {
          const file = datasetFile(`${root}/${path}`, known, path);
          if (file.read) filesRead++;
          stamps.files[path] = file.stamp;
          datasets.set(path, file);
          addLine(`${path}\0${file.hash}\0`, false);
        } else if (path === PROJECT_FILE) {
          project = readFileSync(join(root, path));
          addLine(`${path}\0${sha256(project)}\0`, true);
        } else {
          const { size, mtimeMs } = statSync(join(root, path));
          addLine(`${path}\0${size}\0${mtimeMs}\0`, true);
        }
      }
    }
  };
  walk('');
  return { ...(project ? { project } : {}), datasets, inputsHash: hash.digest('hex'), othersHash: others.digest('hex'), warnings, stamps, filesRead };
}

function datasetFile(full: string, known: FileStamps | undefined, path: string): CatalogFile & { stamp: FileStamp; read: boolean } {
  const stat = statSync(full);
  const recorded = recordedHash(known, path, stat);
  if (recorded !== undefined) {
    let bytes: Uint8Array | undefined;
    // The stamp is the recorded one: equal in every field.
    return { hash: recorded, stamp: known?.files[path] as FileStamp, read: false, bytes: () => (bytes ??= readFileSync(full)) };
  }
  const bytes = readFileSync(full);
  const hash = sha256(bytes);
  return { hash, stamp: stampOf(stat, hash), read: true, bytes: () => bytes };
}
