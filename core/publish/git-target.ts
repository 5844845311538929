// The `git` target: any remote git speaks to (ssh, https, a bare repository on disk). A scratch
// bare repository fetches the branch tip only (depth 1), `git fast-import` writes one commit with
// just the changed files on top of it (no checkout, no filters: bytes as rendered), and
// `git push` moves the branch without force. A rejected push means someone else pushed: the
// shared loop in target.ts starts again from the new tip.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { OutputTree } from '../build.js';
import type { TreeDiff } from '../diff/compare.js';
import { EMPTY_SNAPSHOT, isHiddenPath, type SnapshotEntry, type TreeSnapshot } from '../diff/snapshot.js';
import { git, gitText, listGitTree, readBlobs } from './git-run.js';
import { scrub } from './scrub.js';
import type { Head, PublishTarget, PushResult } from './target.js';

export interface GitTargetSettings {
  /** A remote URL, or a path (absolute, or relative to `baseDir`). */
  url: string;
  branch: string;
  /** The catalog folder, against which a relative path is resolved. */
  baseDir: string;
}

/** A URL with a scheme, or scp-like `user@host:path`; anything else is a path on disk. */
export function isRemoteUrl(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/:]+@[^/:]+:/.test(url);
}

export function resolveGitUrl(settings: GitTargetSettings): string {
  if (isRemoteUrl(settings.url) || isAbsolute(settings.url)) return settings.url;
  return resolve(settings.baseDir, settings.url);
}

const FETCHED = 'refs/steller/head';
const BUILT = 'refs/steller/publish';

export class GitTarget implements PublishTarget {
  readonly description: string;
  private readonly url: string;
  private scratch?: string;

  constructor(private readonly settings: GitTargetSettings) {
    this.url = resolveGitUrl(settings);
    this.description = `git ${scrub(settings.url)} (${settings.branch})`;
  }

  private get isMissingLocalRepo(): boolean {
    return !isRemoteUrl(this.url) && !existsSync(this.url);
  }

  private async gitDir(): Promise<string> {
    if (!this.scratch) {
      this.scratch = mkdtempSync(join(tmpdir(), 'steller-publish-'));
      await git(['init', '--quiet', '--bare', this.scratch]);
    }
    return this.scratch;
  }

  async readHead(): Promise<Head> {
    if (this.isMissingLocalRepo) return { snapshot: EMPTY_SNAPSHOT };
    const ref = `refs/heads/${this.settings.branch}`;
    const listed = await gitText(['ls-remote', '--', this.url, ref]);
    if (!listed.split('\n').some((line) => line.endsWith(`\t${ref}`))) return { snapshot: EMPTY_SNAPSHOT };
    const gitDir = await this.gitDir();
    await git(['--git-dir', gitDir, 'fetch', '--quiet', '--no-tags', '--depth', '1', '--', this.url, `+${ref}:${FETCHED}`]);
    const commit = await gitText(['--git-dir', gitDir, 'rev-parse', '--verify', `${FETCHED}^{commit}`]);
    return { commit, snapshot: await gitSnapshot(gitDir, commit) };
  }

  async push(head: Head, diff: TreeDiff, _tree: OutputTree, message: string): Promise<PushResult> {
    if (this.isMissingLocalRepo) await git(['init', '--quiet', '--bare', this.url]);
    const gitDir = await this.gitDir();
    await git(['--git-dir', gitDir, 'fast-import', '--quiet', '--force', '--date-format=now'], { input: fastImportStream(head, diff, message) });
    const commit = await gitText(['--git-dir', gitDir, 'rev-parse', '--verify', `${BUILT}^{commit}`]);
    const pushed = await git(['--git-dir', gitDir, 'push', '--porcelain', '--', this.url, `${commit}:refs/heads/${this.settings.branch}`], { okCodes: [1] });
    if (pushed.code === 0) return { ok: true, commit };
    const status = pushed.stdout.toString('utf8').split('\n').find((line) => line.startsWith('!\t'));
    const reason = status?.split('\t')[2] ?? pushed.stderr.trim();
    if (status && /\[rejected\]|fetch first|non-fast-forward|stale info|failed to (update|lock)|cannot lock|incorrect old value/i.test(reason)) {
      return { ok: false, reason };
    }
    throw new Error(`git push to ${this.settings.url} failed: ${pushed.stderr.trim() || reason}`);
  }

  async dispose(): Promise<void> {
    if (this.scratch) rmSync(this.scratch, { recursive: true, force: true });
    this.scratch = undefined;
  }
}

/** The files of a commit, hidden paths left out, read on demand in one batch. */
export async function gitSnapshot(gitDir: string, commit: string): Promise<TreeSnapshot> {
  const entries = new Map<string, SnapshotEntry>();
  for (const entry of await listGitTree(gitDir, commit)) {
    if (entry.type === 'blob' && !isHiddenPath(entry.path)) entries.set(entry.path, { sha: entry.sha, mode: entry.mode });
  }
  return {
    entries,
    read: async (paths) => {
      const blobs = await readBlobs(gitDir, paths.map((p) => entries.get(p)!.sha));
      return new Map(paths.map((p) => [p, blobs.get(entries.get(p)!.sha)!.toString('utf8')]));
    },
  };
}

/** Who commits: git's own environment variables when set (CI sets them), else steller. */
export function committer(env: NodeJS.ProcessEnv = process.env): { name: string; email: string } {
  return {
    name: env.GIT_COMMITTER_NAME || env.GIT_AUTHOR_NAME || 'steller',
    email: env.GIT_COMMITTER_EMAIL || env.GIT_AUTHOR_EMAIL || 'steller@localhost',
  };
}

// fast-import's input: one commit on top of the fetched head, deleting what the catalog no longer
// renders and writing only the files that changed. Lengths are in bytes.
function fastImportStream(head: Head, diff: TreeDiff, message: string): Buffer {
  const who = committer();
  // `reset` first, so a new branch starts with no parent even if an earlier attempt left the ref.
  const parts: (string | Buffer)[] = [`reset ${BUILT}\n\n`, `commit ${BUILT}\n`, `committer ${who.name} <${who.email}> now\n`, data(message)];
  if (head.commit) parts.push(`from ${head.commit}\n`);
  for (const file of diff.files) {
    if (file.status === 'removed') parts.push(`D ${quotePath(file.path)}\n`);
  }
  for (const file of diff.files) {
    if (file.status !== 'removed') parts.push(`M 100644 inline ${quotePath(file.path)}\n`, data(file.after ?? ''));
  }
  parts.push('\n');
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}

function data(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n')]);
}

// C-style quoting, which fast-import always accepts, so no path can be misread.
function quotePath(path: string): string {
  return `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
