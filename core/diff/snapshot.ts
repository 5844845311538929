// A previous tree to compare with: a folder, a git commit, or a GitHub branch. Every file is
// known by its git blob id, so unchanged files are recognised without reading them (a GitHub
// tree listing gives the ids; our side computes them), and only changed files are fetched.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutputTree } from '../build.js';
import { listTree } from '../output.js';

/** The mode git gives every file steller writes. */
export const FILE_MODE = '100644';

export interface SnapshotEntry {
  /** git blob id (sha1 of "blob <size>\0<bytes>"). */
  sha: string;
  mode: string;
}

export interface TreeSnapshot {
  /** Files by path; hidden paths (a segment starting with ".") are never listed: steller does not own them. */
  readonly entries: ReadonlyMap<string, SnapshotEntry>;
  /** The texts of the given paths (only paths listed in `entries`). */
  read(paths: readonly string[]): Promise<Map<string, string>>;
}

export function gitBlobId(content: string | Uint8Array): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** Steller never writes a path with a hidden segment, so it never deletes one either (e.g. .github/CODEOWNERS). */
export function isHiddenPath(path: string): boolean {
  return path.split('/').some((segment) => segment.startsWith('.'));
}

export const EMPTY_SNAPSHOT: TreeSnapshot = { entries: new Map(), read: async () => new Map() };

export function snapshotOfTree(tree: OutputTree): TreeSnapshot {
  const entries = new Map<string, SnapshotEntry>();
  for (const [path, file] of tree) entries.set(path, { sha: gitBlobId(file.content), mode: FILE_MODE });
  return { entries, read: async (paths) => new Map(paths.map((p) => [p, tree.get(p)?.content ?? ''])) };
}

export function snapshotOfDirectory(dir: string): TreeSnapshot {
  const texts = new Map<string, string>();
  const entries = new Map<string, SnapshotEntry>();
  for (const path of listTree(dir)) {
    const bytes = readFileSync(join(dir, path));
    texts.set(path, bytes.toString('utf8'));
    entries.set(path, { sha: gitBlobId(bytes), mode: FILE_MODE });
  }
  return { entries, read: async (paths) => new Map(paths.map((p) => [p, texts.get(p) ?? ''])) };
}
