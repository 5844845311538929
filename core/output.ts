// Stage 3: compare the rendered tree with out/ and replace out/ atomically: everything is staged
// in a sibling folder first and swapped in with renames, so a failure leaves out/ as it was.
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { compareStrings } from './diagnostics.js';
import type { OutputFile } from '../generators/types.js';
import type { OutputTree } from './build.js';
import { LOCK_FILE, LOCK_VERSION, type LockFile } from './lock.js';

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
  return compare(dir, tree, (path, file) => readFileSync(join(dir, path), 'utf8') === file.content);
}

/**
 * Compares using out/'s own lock file (every file's sha256) and sizes, reading no content: what
 * a rebuild uses, so that an unchanged tree of thousands of files costs a directory walk.
 * Without a readable lock it falls back to reading files.
 */
export function compareWithLock(dir: string, tree: OutputTree): TreeChanges {
  const previous = readLock(join(dir, LOCK_FILE));
  const next = readLockText(tree.get(LOCK_FILE)?.content);
  if (!previous || !next) return compareWithDir(dir, tree);
  return compare(dir, tree, (path, file) => {
    if (path === LOCK_FILE) return readFileSync(join(dir, path), 'utf8') === file.content;
    const before = previous.files[path];
    return before !== undefined && before.sha256 === next.files[path]?.sha256 && sizeOf(join(dir, path)) === Buffer.byteLength(file.content);
  });
}

function compare(dir: string, tree: OutputTree, same: (path: string, file: OutputFile) => boolean): TreeChanges {
  const existing = new Set(listTree(dir));
  const changes: TreeChanges = { added: [], changed: [], removed: [] };
  for (const [path, file] of tree) {
    if (!existing.has(path)) changes.added.push(path);
    else if (!same(path, file)) changes.changed.push(path);
    existing.delete(path);
  }
  changes.removed = [...existing].sort(compareStrings);
  return changes;
}

function readLock(file: string): LockFile | undefined {
  try {
    return readLockText(readFileSync(file, 'utf8'));
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

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return -1;
  }
}

/** Few changes are applied file by file (each an atomic rename, the lock last); many, by swapping the whole folder. */
const IN_PLACE_LIMIT = 256;

/** Makes `dir` hold exactly `tree`. Writes nothing when nothing changed; returns what changed. */
export function writeTree(dir: string, tree: OutputTree, changes: TreeChanges = compareWithLock(dir, tree)): TreeChanges {
  if (!hasChanges(changes)) return changes;
  const count = changes.added.length + changes.changed.length + changes.removed.length;
  if (existsSync(dir) && count <= IN_PLACE_LIMIT) updateInPlace(dir, tree, changes);
  else swapIn(dir, tree, changes);
  return changes;
}

function updateInPlace(dir: string, tree: OutputTree, changes: TreeChanges): void {
  const writes = [...changes.added, ...changes.changed].sort((a, b) => Number(a === LOCK_FILE) - Number(b === LOCK_FILE));
  for (const path of changes.removed) {
    rmSync(join(dir, path), { force: true });
    removeEmptyParents(dir, path);
  }
  for (const path of writes) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    const temporary = `${target}.steller-${process.pid}.tmp`;
    writeFileSync(temporary, tree.get(path)?.content ?? '');
    renameSync(temporary, target);
  }
}

function removeEmptyParents(dir: string, path: string): void {
  for (let parent = dirname(path); parent !== '.' && parent !== ''; parent = dirname(parent)) {
    const full = join(dir, parent);
    if (readdirSync(full).length > 0) return;
    rmSync(full, { recursive: true, force: true });
  }
}

function swapIn(dir: string, tree: OutputTree, changes: TreeChanges): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(dir)}.staging-${process.pid}`);
  const retired = join(parent, `.${basename(dir)}.old-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    const rewritten = new Set([...changes.added, ...changes.changed]);
    for (const [path, file] of tree) {
      const target = join(staging, path);
      mkdirSync(dirname(target), { recursive: true });
      // Unchanged files are hard-linked from the current out/: no rewrite, same bytes.
      if (!rewritten.has(path) && tryLink(join(dir, path), target)) continue;
      writeFileSync(target, file.content);
    }
    keepHiddenEntries(dir, staging);
    if (existsSync(dir)) renameSync(dir, retired);
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(dir) && existsSync(retired)) renameSync(retired, dir);
    throw error;
  }
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
