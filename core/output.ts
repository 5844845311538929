// Stage 3: compare the rendered tree with out/ and replace out/ atomically: everything is staged
// in a sibling folder first and swapped in with renames, so a failure leaves out/ as it was.
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { compareStrings } from './diagnostics.js';
import type { OutputTree } from './build.js';

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

export function compareWithDir(dir: string, tree: OutputTree): TreeChanges {
  const existing = new Set(listTree(dir));
  const changes: TreeChanges = { added: [], changed: [], removed: [] };
  for (const [path, file] of tree) {
    if (!existing.has(path)) changes.added.push(path);
    else if (readFileSync(join(dir, path), 'utf8') !== file.content) changes.changed.push(path);
    existing.delete(path);
  }
  changes.removed = [...existing].sort(compareStrings);
  return changes;
}

/** Makes `dir` hold exactly `tree`. Writes nothing when nothing changed; returns what changed. */
export function writeTree(dir: string, tree: OutputTree): TreeChanges {
  const changes = compareWithDir(dir, tree);
  if (!hasChanges(changes)) return changes;
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
  return changes;
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
