// steller.lock.json: every output file's sha256 and the datasets it was rendered from. Small
// and dependency-free, so that a build with nothing to do never loads a generator.
import { createHash } from 'node:crypto';
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

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

