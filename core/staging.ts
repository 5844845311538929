// Where the next version of out/'s files is written before it replaces the current one: a staging
// folder beside out/; and the spares, the big files a build replaced, kept for their pages.
import { linkSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FileHasher } from './file-hasher.js';
import { FileWriter } from './file-writer.js';
import type { Hashed } from './output.js';
import { borrowPiece, type Piece } from './text.js';

/**
 * Staged files at least this big that are to replace a file of out/ are flushed to disk in the
 * background as soon as they are written. Renaming a file over another makes ext4
 * (auto_da_alloc) allocate and start writing the new file's blocks inside rename(), on the main
 * thread: 110 ms for the 190 MB one title rewrites at 10,000 datasets, 35 ms after the flush,
 * which runs while the next files are written. It is also the crash-safe order: data, then rename.
 * Files of out/ this big are also the ones kept as spares (see SpareFiles).
 */
const BIG_FILE_BYTES = 1 << 20;

/** A staged file's size, and its sha256: known, or still being computed on the hashing thread. */
export interface Staged {
  size: number;
  sha256: string | Promise<string>;
}

/** The folder beside out/ where the next tree is put together (`.out.staging-<pid>`). */
export class Staging {
  readonly root: string;
  private readonly hasher = new FileHasher();
  /** Paths written into the staging folder so far. */
  private readonly written = new Set<string>();
  private readonly flushing: Promise<void>[] = [];
  private readonly flush: (file: string) => Promise<void>;
  private readonly spares: SpareFiles | undefined;

  /** For `out`; `flush` puts a staged file's data on disk (tests give one that fails); `spares`, the old files last replaced. */
  constructor(private readonly out: string, options: { flush?: (file: string) => Promise<void>; spares?: SpareFiles } = {}) {
    this.root = join(dirname(out), `.${basename(out)}.staging-${process.pid}`);
    this.flush = options.flush ?? flushToDisk;
    this.spares = options.spares;
  }

  /**
   * Writes a file and hashes it; `replacing` when it is to be renamed over one in out/ (see
   * BIG_FILE_BYTES). One that replaces a big file is hashed on the hashing thread, the others as
   * they are written.
   */
  write(path: string, pieces: readonly Piece[], options: { replacing?: boolean } = {}): Staged {
    const { written, hashing } = this.put(path, pieces, options.replacing === true, true);
    return { size: written.size, sha256: hashing ?? written.sha256 };
  }

  /** Writes a file whose hash the caller has already (the lock; a file hashed before it was known to differ). */
  writeUnhashed(path: string, pieces: readonly Piece[], options: { replacing?: boolean } = {}): void {
    this.put(path, pieces, options.replacing === true, false);
  }

  /** `hashing`: the hashing thread's hash of a big file, read back as it is written. */
  private put(path: string, pieces: readonly Piece[], replacing: boolean, withHash: boolean): { written: Hashed; hashing?: Promise<string> } {
    const big = replacing && sizeOf(join(this.out, path)) >= BIG_FILE_BYTES;
    if (big) this.spares?.release(path);
    const target = join(this.root, path);
    mkdirSync(dirname(target), { recursive: true });
    const fd = openSync(target, 'w');
    const job = withHash && big ? this.hasher.follow(target) : undefined;
    let written: Hashed;
    try {
      written = writePieces(new FileWriter(fd, { hash: withHash && !big, onFlush: job?.written }), pieces);
    } catch (error) {
      job?.failed();
      throw error;
    }
    job?.finished();
    this.written.add(path);
    if (replacing && written.size >= BIG_FILE_BYTES) {
      const flush = this.flush(target);
      // Awaited by `flushed` before files move in place; a folder swapped in whole, or a build
      // that stops first, never waits for it, and its failure then must not end the process.
      flush.catch(() => {});
      this.flushing.push(flush);
    }
    return { written, ...(job ? { hashing: job.sha256 } : {}) };
  }

  /** Every staged file's hash: the hashing thread's, and those it had not started hashed here meanwhile. */
  async hashed(staged: ReadonlyMap<string, Staged>): Promise<Map<string, Hashed>> {
    this.hasher.takeBack();
    const hashes = await Promise.all([...staged.values()].map((file) => file.sha256));
    return new Map([...staged.keys()].map((path, i) => [path, { sha256: hashes[i], size: (staged.get(path) as Staged).size }]));
  }

  /** Every background flush done (rejected if one failed: then nothing may be moved). */
  async flushed(): Promise<void> {
    await Promise.all(this.flushing.splice(0));
  }

  has(path: string): boolean {
    return this.written.has(path);
  }

  /** Moves a staged file to `target`; a big file it replaces becomes the spare for `path`. */
  moveTo(target: string, path: string): void {
    const from = join(this.root, path);
    mkdirSync(dirname(target), { recursive: true });
    if (this.spares && sizeOf(target) >= BIG_FILE_BYTES) {
      this.spares.replace(from, target, path);
    } else {
      renameSync(from, target);
      // A file that was big once may have left a spare: it would only take up room.
      this.spares?.release(path);
    }
    this.written.delete(path);
  }

  remove(): void {
    this.hasher.stop();
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * The big files of out/ the last build replaced, kept (in the build cache) until the next build
 * writes their successors. Their pages are what makes that write fast: a file written into pages
 * the kernel has just freed took 40-70 ms here for 190 MB, and 460-530 ms into pages free for
 * seconds (the machines steller runs on are VMs, whose idle pages go back to the host and fault
 * in again when touched). So the next build removes a spare just before it writes the file that
 * replaces its successor, and the new file takes over its pages: the bulk of a one-title patch at
 * 10,000 datasets. A spare is never written to: a reader that opened a file of out/ before it
 * was replaced keeps reading the bytes it opened, however many builds later.
 */
export class SpareFiles {
  private constructor(private readonly root: string) {}

  /** The spares a build cache keeps for `out`; undefined on another file system than out/ (a spare is a second name of out/'s file). */
  static inCache(cacheDir: string, out: string): SpareFiles | undefined {
    const root = join(cacheDir, 'spare');
    try {
      mkdirSync(root, { recursive: true });
      return statSync(root).dev === statSync(dirname(out)).dev ? new SpareFiles(root) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Removes the spare for `path`, freeing its pages for the file about to be written (unless a reader still holds it open). */
  release(path: string): void {
    rmSync(join(this.root, path), { force: true });
  }

  /**
   * Renames `staged` over `target`, keeping the file it replaces as the spare for `path`. The old
   * file gets a second name before the rename, so out/ never misses the file. Spares only save
   * time: when one cannot be kept, the file is replaced all the same.
   */
  replace(staged: string, target: string, path: string): void {
    const spare = join(this.root, path);
    const kept = `${spare}.next`;
    const keeping = attempt(() => {
      mkdirSync(dirname(spare), { recursive: true });
      rmSync(kept, { force: true });
      linkSync(target, kept);
    });
    try {
      renameSync(staged, target);
    } catch (error) {
      if (keeping) rmSync(kept, { force: true });
      throw error;
    }
    if (keeping && !attempt(() => renameSync(kept, spare))) rmSync(kept, { force: true });
  }

  /** Makes `file`, a big one out/ no longer holds, the spare for `path`. */
  keep(file: string, path: string): void {
    if (sizeOf(file) < BIG_FILE_BYTES) return;
    const spare = join(this.root, path);
    attempt(() => {
      mkdirSync(dirname(spare), { recursive: true });
      renameSync(file, spare);
    });
  }

  /** Removes spares of files out/ no longer has. */
  prune(paths: ReadonlySet<string>): void {
    const walk = (relative: string): void => {
      const dir = join(this.root, relative);
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(path);
        else if (!paths.has(path)) rmSync(join(this.root, path), { force: true });
      }
    };
    walk('');
  }
}

/** Streams the pieces through `writer` (a big rope is never one string or buffer), hashing them on the way. */
function writePieces(writer: FileWriter, pieces: readonly Piece[]): Hashed {
  try {
    for (const piece of pieces) writer.write(borrowPiece(piece));
  } catch (error) {
    writer.abort();
    throw error;
  }
  return writer.close();
}

async function flushToDisk(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** Runs `step`; false when it threw (for steps that only save time). */
function attempt(step: () => void): boolean {
  try {
    step();
    return true;
  } catch {
    return false;
  }
}

/** The file's size; -1 when there is none. */
export function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return -1;
  }
}
