// Stage 3: compare the rendered tree with out/ and replace out/ atomically: everything is staged
// in a sibling folder first and swapped in with renames, so a failure leaves out/ as it was.
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { compareStrings } from './diagnostics.js';
import type { OutputFile } from '../generators/types.js';
import type { OutputTree } from './build.js';
import type { OutputRecords } from './cache.js';
import { BatchedSha256, LOCK_FILE, LOCK_VERSION, lockFileText, sha256, type LockFile } from './lock.js';
import { sizeOf, SpareFiles, Staging, type Staged } from './staging.js';
import { borrowPiece, piecesOf, type Piece } from './text.js';

export interface TreeChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

export function hasChanges(changes: TreeChanges): boolean {
  return changes.added.length + changes.changed.length + changes.removed.length > 0;
}

/** Every file under `dir` (relative paths, sorted); hidden entries such as .git are not ours. */
export function listTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(dir, relative), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk('');
  return files.sort(compareStrings);
}

export function readTree(dir: string): Map<string, string> {
  return new Map(listTree(dir).map((path) => [path, readFileSync(join(dir, path), 'utf8')]));
}

/** Compares by reading every file of `dir`: exact, for `build --check`. */
export function compareWithDir(dir: string, tree: OutputTree): TreeChanges {
  const existing = new Set(listTree(dir));
  const changes: TreeChanges = { added: [], changed: [], removed: [] };
  for (const [path, file] of tree) {
    if (!existing.has(path)) changes.added.push(path);
    else if (!sameBytes(readFileSync(join(dir, path)), piecesOf(file))) changes.changed.push(path);
    existing.delete(path);
  }
  changes.removed = [...existing].sort(compareStrings);
  return changes;
}

/** The file's bytes against the rope's, piece by piece: nothing is decoded or joined. */
function sameBytes(bytes: Buffer, pieces: readonly Piece[]): boolean {
  let at = 0;
  for (const piece of pieces) {
    const part = borrowPiece(piece);
    const expected = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    if (at + expected.length > bytes.length || !bytes.subarray(at, at + expected.length).equals(expected)) return false;
    at += expected.length;
  }
  return at === bytes.length;
}

/** Files whose hash is known without reading their bytes: from the records of the last build, or hashed from their pieces. */
export interface Hashed {
  sha256: string;
  size: number;
}

export interface WriteResult {
  changes: TreeChanges;
  /** The records the next build compares its ropes with (see `signatureOf`). */
  records: OutputRecords;
}

/**
 * Makes `dir` hold exactly `tree` and writes its lock file. A file whose rope has the signature
 * `previous` recorded for it (and out/ is still the tree those records describe) is unchanged
 * without being put together; any other is hashed piece by piece, and written only when its hash
 * differs from out/'s lock. A failure leaves out/ as it was.
 */
export async function writeTree(dir: string, tree: OutputTree, options: { previous?: OutputRecords; spares?: SpareFiles } = {}): Promise<WriteResult> {
  const { previous, spares } = options;
  const lockBytes = readIfExists(join(dir, LOCK_FILE));
  const oldLock = lockBytes ? readLockText(lockBytes.toString('utf8')) : undefined;
  const trusted = previous && lockBytes && previous.lockHash === sha256(lockBytes) ? previous.files : {};
  const staged = new Map<string, Staged>();
  const signatures = new Map<string, string>();
  // The next tree is put together beside out/: files that are surely new or changed are written
  // there while they are hashed (one pass over their pieces); out/ is touched only at the end.
  const staging = new Staging(dir, { spares });
  const records: OutputRecords = { lockHash: '', files: {} };
  try {
    for (const [path, file] of tree) {
      if (path === LOCK_FILE) continue;
      const signature = signatureOf(file);
      const known = signature === undefined ? undefined : trusted[path];
      if (known && known.signature === signature) staged.set(path, { sha256: known.sha256, size: known.size });
      else if (known || !oldLock?.files[path]) staged.set(path, staging.write(path, piecesOf(file), { replacing: known !== undefined }));
      else staged.set(path, hashPieces(piecesOf(file)));
      if (signature !== undefined) signatures.set(path, signature);
    }
    const hashed = await staging.hashed(staged);
    for (const [path, signature] of signatures) {
      const { sha256, size } = hashed.get(path) as Hashed;
      records.files[path] = { signature, sha256, size };
    }
    const lockText = lockTextOf(tree, hashed);
    records.lockHash = sha256(lockText);

    const existing = new Set(listTree(dir));
    const changes: TreeChanges = { added: [], changed: [], removed: [] };
    for (const path of tree.keys()) {
      if (!existing.has(path)) changes.added.push(path);
      else if (!(path === LOCK_FILE ? lockBytes?.toString('utf8') === lockText : sameOnDisk(dir, path, hashed.get(path) as Hashed, oldLock))) changes.changed.push(path);
      existing.delete(path);
    }
    changes.removed = [...existing].sort(compareStrings);
    if (hasChanges(changes)) {
      const count = changes.added.length + changes.changed.length + changes.removed.length;
      const pieces = (path: string): readonly Piece[] => (path === LOCK_FILE ? [lockText] : piecesOf(tree.get(path) as OutputFile));
      if (existsSync(dir) && count <= IN_PLACE_LIMIT) await updateInPlace(dir, changes, staging, pieces);
      else swapIn(dir, tree, changes, staging, pieces, spares);
    }
    spares?.prune(new Set(tree.keys()));
    return { changes, records };
  } finally {
    staging.remove();
  }
}

/**
 * What identifies a rope's bytes without reading them: its literal strings and the ids of its
 * Texts (a Text's id names the cached rendering it came from, and so its bytes). Undefined when
 * a Text is fresh (no id), or the file is one literal (hashing it costs the same).
 */
export function signatureOf(file: OutputFile): string | undefined {
  if (!file.pieces) return undefined;
  return signatureOfParts(file.pieces.map((piece) => (typeof piece === 'string' || piece.id !== undefined ? piece as string | { id: string } : undefined)));
}

/** The signature of a rope given as its literals and its Texts' ids; undefined when a Text has none. */
export function signatureOfParts(parts: readonly (string | { id: string } | undefined)[]): string | undefined {
  const hash = new BatchedSha256();
  for (const part of parts) {
    if (part === undefined) return undefined;
    hash.add(typeof part === 'string' ? `L${part.length}:${part}` : `T${part.id}\0`);
  }
  return hash.digest('base64url');
}

function hashPieces(pieces: readonly Piece[]): Hashed {
  const hash = createHash('sha256');
  let size = 0;
  for (const piece of pieces) {
    const bytes = borrowPiece(piece);
    hash.update(bytes);
    size += typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
  }
  return { sha256: hash.digest('hex'), size };
}

function lockTextOf(tree: OutputTree, hashed: ReadonlyMap<string, Hashed>): string {
  return lockFileText(new Map([...tree].filter(([path]) => path !== LOCK_FILE)), (path) => (hashed.get(path) as Hashed).sha256);
}

/** Unchanged when out/'s lock gives the same hash and the file still has its size; without a lock, by hashing it. */
function sameOnDisk(dir: string, path: string, hash: Hashed, oldLock: LockFile | undefined): boolean {
  if (!oldLock) return sha256(readFileSync(join(dir, path))) === hash.sha256;
  return oldLock.files[path]?.sha256 === hash.sha256 && sizeOf(join(dir, path)) === hash.size;
}

function readIfExists(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function readLockText(text: string | undefined): LockFile | undefined {
  if (text === undefined) return undefined;
  try {
    const lock = JSON.parse(text) as LockFile;
    return lock.lock_version === LOCK_VERSION && lock.files ? lock : undefined;
  } catch {
    return undefined;
  }
}

/** Few changes are applied file by file (each an atomic rename, the lock last); many, by swapping the whole folder. */
const IN_PLACE_LIMIT = 256;

async function updateInPlace(dir: string, changes: TreeChanges, staging: Staging, pieces: (path: string) => readonly Piece[]): Promise<void> {
  const writes = [...changes.added, ...changes.changed].sort((a, b) => Number(a === LOCK_FILE) - Number(b === LOCK_FILE));
  const replaced = new Set(changes.changed);
  // Everything is written before out/ is touched; then each file is replaced by a rename, so a
  // reader of out/ sees the old file or the new, never half, and a failed write changes nothing.
  for (const path of writes) if (!staging.has(path)) staging.writeUnhashed(path, pieces(path), { replacing: replaced.has(path) });
  await staging.flushed();
  for (const path of changes.removed) {
    rmSync(join(dir, path), { force: true });
    removeEmptyParents(dir, path);
  }
  for (const path of writes) staging.moveTo(join(dir, path), path);
}

function removeEmptyParents(dir: string, path: string): void {
  for (let parent = dirname(path); parent !== '.' && parent !== ''; parent = dirname(parent)) {
    const full = join(dir, parent);
    if (readdirSync(full).length > 0) return;
    rmSync(full, { recursive: true, force: true });
  }
}

function swapIn(dir: string, tree: OutputTree, changes: TreeChanges, staging: Staging, pieces: (path: string) => readonly Piece[], spares: SpareFiles | undefined): void {
  const retired = join(dirname(dir), `.${basename(dir)}.old-${process.pid}`);
  const rewritten = new Set([...changes.added, ...changes.changed]);
  for (const path of tree.keys()) {
    if (staging.has(path)) continue;
    const target = join(staging.root, path);
    mkdirSync(dirname(target), { recursive: true });
    // Unchanged files are hard-linked from the current out/: no rewrite, same bytes.
    if (!rewritten.has(path) && tryLink(join(dir, path), target)) continue;
    staging.writeUnhashed(path, pieces(path));
  }
  mkdirSync(staging.root, { recursive: true });
  try {
    keepHiddenEntries(dir, staging.root);
    if (existsSync(dir)) renameSync(dir, retired);
    renameSync(staging.root, dir);
  } catch (error) {
    if (!existsSync(dir) && existsSync(retired)) renameSync(retired, dir);
    keepHiddenEntries(staging.root, dir);
    throw error;
  }
  // The big files replaced stay as spares: the next build writes their successors into their pages.
  for (const path of changes.changed) spares?.keep(join(retired, path), path);
  rmSync(retired, { recursive: true, force: true });
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch {
    return false;
  }
}

/** A `.git` or other hidden entry in out/ (a checkout of the service-config repo) survives the swap. */
function keepHiddenEntries(dir: string, staging: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.')) renameSync(join(dir, entry), join(staging, entry));
  }
}
