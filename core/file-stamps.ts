// Which catalog files changed since the last build, without reading them: like git's index, a
// file whose size, mtime, ctime and inode are as recorded keeps its recorded hash. A file changed
// within the same clock tick as the record was written cannot be told apart by its stamp, so any
// file modified less than RACY_MS before the record is read again (git's "racily clean" rule).
import { readFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from './cache.js';

const STAMPS_FILE = 'file-stamps.json';
const RACY_MS = 2000;
/**
 * Stamps are saved again only when a build read more files than this: the next build reads
 * those few again (well under 1 ms each) rather than this one rewriting the record of every
 * file (2 MB, 15–20 ms at 10,000 datasets) after each one-dataset edit.
 */
const REREADS_TOLERATED = 64;

export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  hash: string;
}

export interface FileStamps {
  /** When the stamps were taken (ms since the epoch). */
  takenAt: number;
  files: Record<string, FileStamp>;
}

/** The recorded hash of `path`, when its stat shows it cannot have changed since. */
export function recordedHash(stamps: FileStamps | undefined, path: string, stat: Stats): string | undefined {
  const stamp = stamps?.files[path];
  if (!stamps || !stamp) return undefined;
  const same = stamp.size === stat.size && stamp.mtimeMs === stat.mtimeMs && stamp.ctimeMs === stat.ctimeMs && stamp.ino === stat.ino;
  const racy = Math.max(stat.mtimeMs, stat.ctimeMs) >= stamps.takenAt - RACY_MS;
  return same && !racy ? stamp.hash : undefined;
}

export function stampOf(stat: Stats, hash: string): FileStamp {
  return { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, hash };
}

export function readStamps(cacheDir: string): FileStamps | undefined {
  try {
    const stamps = JSON.parse(readFileSync(join(cacheDir, STAMPS_FILE), 'utf8')) as FileStamps;
    return typeof stamps.takenAt === 'number' && stamps.files && typeof stamps.files === 'object' ? stamps : undefined;
  } catch {
    return undefined;
  }
}

/** Saves the stamps of a build that had to read more than a few files. */
export function saveStamps(cacheDir: string, stamps: FileStamps, filesRead: number): void {
  if (filesRead > REREADS_TOLERATED) writeFileAtomically(join(cacheDir, STAMPS_FILE), JSON.stringify(stamps));
}
