// The `github` target, through the Git Data API: read the branch (ref, commit, recursive tree),
// upload only what changed, build one tree on the old one (deletions as `sha: null`), one
// commit, then move the branch with force: false. GitHub's 422 on that update is a lost race,
// which the loop in target.ts rebuilds on the new head. With `pull_request: true` the commit
// goes to a branch of its own and one pull request is opened, or updated on later publishes.
import { Buffer } from 'node:buffer';
import { LOCK_FILE, type OutputTree } from '../build.js';
import type { FileChange, TreeDiff } from '../diff/compare.js';
import { FILE_MODE, gitBlobId, isHiddenPath, EMPTY_SNAPSHOT, type SnapshotEntry, type TreeSnapshot } from '../diff/snapshot.js';
import { statusOf, type GitHubClient } from './github-client.js';
import { PublishError } from './scrub.js';
import type { Head, PublishTarget, PushResult } from './target.js';

export interface GitHubTargetSettings {
  /** owner/name */
  repo: string;
  branch: string;
  pullRequest: boolean;
}

type TreeEntryInput = { path: string; mode: '100644'; type: 'blob'; sha?: string | null; content?: string };

// Small files travel inside the createTree request: with one write a second (GitHub's advice,
// which the throttling plugin keeps), a blob request per file would make a first publish of
// 10,000 files take hours. Large files get a blob each; a request stays a few MiB.
const INLINE_FILE_BYTES = 256 * 1024;
const TREE_REQUEST_BYTES = 4 * 1024 * 1024;
const BLOB_READERS = 4;

export class GitHubTarget implements PublishTarget {
  readonly description: string;
  private readonly owner: string;
  private readonly repo: string;
  private readonly treeOfCommit = new Map<string, string>();

  constructor(private readonly client: GitHubClient, private readonly settings: GitHubTargetSettings) {
    [this.owner, this.repo] = settings.repo.split('/');
    this.description = `GitHub ${settings.repo} (${settings.pullRequest ? `pull request into ${settings.branch}` : settings.branch})`;
  }

  /** The branch the pull request comes from. */
  get pullRequestBranch(): string {
    return `steller/publish-${this.settings.branch}`;
  }

  private get where() {
    return { owner: this.owner, repo: this.repo };
  }

  async readHead(): Promise<Head> {
    const commit = await this.branchCommit(this.settings.branch);
    if (!commit) return { snapshot: EMPTY_SNAPSHOT };
    return { commit, snapshot: await this.snapshot(await this.treeOf(commit)) };
  }

  async push(head: Head, diff: TreeDiff, tree: OutputTree, message: string): Promise<PushResult> {
    let treeSha: string;
    try {
      treeSha = await this.buildTree(head, diff);
    } catch (error) {
      // GitHub's Git Data API refuses every write to a repository without a commit (409).
      if (statusOf(error) !== 409 || head.commit) throw error;
      await this.initializeEmptyRepository(tree);
      return { ok: false, reason: 'the repository was empty: made its first commit with the lock file' };
    }
    if (!this.settings.pullRequest || !head.commit) return this.moveBranch(this.settings.branch, head.commit, treeSha, message);
    return this.pushPullRequest(head.commit, treeSha, message);
  }

  async dispose(): Promise<void> {}

  private async branchCommit(branch: string): Promise<string | undefined> {
    try {
      const { data } = await this.client.rest.git.getRef({ ...this.where, ref: `heads/${branch}` });
      return data.object.sha;
    } catch (error) {
      // 404: no such branch; 409: the repository has no commit at all.
      if (statusOf(error) === 404 || statusOf(error) === 409) return undefined;
      throw error;
    }
  }

  private async treeOf(commit: string): Promise<string> {
    let tree = this.treeOfCommit.get(commit);
    if (!tree) {
      tree = (await this.client.rest.git.getCommit({ ...this.where, commit_sha: commit })).data.tree.sha;
      this.treeOfCommit.set(commit, tree);
    }
    return tree;
  }

  private async snapshot(treeSha: string): Promise<TreeSnapshot> {
    const entries = new Map<string, SnapshotEntry>();
    for (const entry of await this.listTree(treeSha, '')) {
      if (entry.type === 'blob' && !isHiddenPath(entry.path)) entries.set(entry.path, { sha: entry.sha, mode: entry.mode });
    }
    return { entries, read: (paths) => this.readBlobs(paths.map((p) => [p, entries.get(p)!.sha])) };
  }

  // One recursive listing, unless GitHub truncates it (over 100,000 entries or 7 MB): then
  // folder by folder.
  private async listTree(treeSha: string, prefix: string): Promise<{ path: string; mode: string; type: string; sha: string }[]> {
    const { data } = await this.client.rest.git.getTree({ ...this.where, tree_sha: treeSha, ...(prefix ? {} : { recursive: 'true' }) });
    const entries = data.tree.map((e) => ({ path: `${prefix}${e.path}`, mode: e.mode ?? '', type: e.type ?? '', sha: e.sha ?? '' }));
    if (!data.truncated && !prefix) return entries;
    const out: typeof entries = [];
    const top = prefix ? entries : (await this.client.rest.git.getTree({ ...this.where, tree_sha: treeSha })).data.tree
      .map((e) => ({ path: e.path ?? '', mode: e.mode ?? '', type: e.type ?? '', sha: e.sha ?? '' }));
    for (const entry of top) {
      if (entry.type === 'tree') out.push(...(await this.listTree(entry.sha, `${entry.path}/`)));
      else out.push(entry);
    }
    return out;
  }

  // A few reads at a time: quicker than one by one, and well inside GitHub's concurrency limits.
  private async readBlobs(pairs: [string, string][]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let next = 0;
    const worker = async () => {
      while (next < pairs.length) {
        const [path, sha] = pairs[next++];
        const { data } = await this.client.rest.git.getBlob({ ...this.where, file_sha: sha });
        out.set(path, Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8'));
      }
    };
    await Promise.all(Array.from({ length: Math.min(BLOB_READERS, pairs.length) }, worker));
    return out;
  }

  private async buildTree(head: Head, diff: TreeDiff): Promise<string> {
    const chunks = await this.treeChunks(diff.files);
    let base = head.commit ? await this.treeOf(head.commit) : undefined;
    for (const entries of chunks) {
      const { data } = await this.client.rest.git.createTree({ ...this.where, tree: entries, ...(base ? { base_tree: base } : {}) });
      base = data.sha;
    }
    return base!;
  }

  private async treeChunks(files: readonly FileChange[]): Promise<TreeEntryInput[][]> {
    const chunks: TreeEntryInput[][] = [[]];
    let size = 0;
    for (const file of files) {
      const entry: TreeEntryInput = { path: file.path, mode: FILE_MODE, type: 'blob' };
      const bytes = Buffer.byteLength(file.after ?? '', 'utf8');
      if (file.status === 'removed') entry.sha = null;
      else if (bytes > INLINE_FILE_BYTES) entry.sha = await this.createBlob(file.after ?? '');
      else {
        if (size + bytes > TREE_REQUEST_BYTES && chunks[chunks.length - 1].length > 0) {
          chunks.push([]);
          size = 0;
        }
        entry.content = file.after ?? '';
        size += bytes;
      }
      chunks[chunks.length - 1].push(entry);
    }
    return chunks;
  }

  private async createBlob(content: string): Promise<string> {
    const { data } = await this.client.rest.git.createBlob({ ...this.where, content: Buffer.from(content, 'utf8').toString('base64'), encoding: 'base64' });
    if (data.sha !== gitBlobId(content)) throw new PublishError(`GitHub stored a blob as ${data.sha}, expected ${gitBlobId(content)}: the content was changed on the way`);
    return data.sha;
  }

  private async initializeEmptyRepository(tree: OutputTree): Promise<void> {
    await this.client.rest.repos.createOrUpdateFileContents({
      ...this.where,
      path: LOCK_FILE,
      branch: this.settings.branch,
      message: 'Start the service-config repository for steller',
      content: Buffer.from(tree.get(LOCK_FILE)?.content ?? '{}\n', 'utf8').toString('base64'),
    });
  }

  /** One commit of `treeSha` on `parents`, then the branch moves to it, or is created, never forced. */
  private async moveBranch(branch: string, parent: string | undefined, treeSha: string, message: string, extraParents: string[] = []): Promise<PushResult> {
    const parents = [...(parent ? [parent] : []), ...extraParents];
    const { data: commit } = await this.client.rest.git.createCommit({ ...this.where, message, tree: treeSha, parents });
    try {
      if (parent) await this.client.rest.git.updateRef({ ...this.where, ref: `heads/${branch}`, sha: commit.sha, force: false });
      else await this.client.rest.git.createRef({ ...this.where, ref: `refs/heads/${branch}`, sha: commit.sha });
    } catch (error) {
      if (statusOf(error) === 422) return { ok: false, reason: `${branch}: ${(error as Error).message}` };
      throw error;
    }
    return { ok: true, commit: commit.sha };
  }

  // The pull-request branch gets the new tree on top of its own history; when the target branch
  // has moved on, the commit also takes its head as a second parent, so the pull request always
  // merges cleanly into exactly the rendered tree.
  private async pushPullRequest(baseCommit: string, treeSha: string, message: string): Promise<PushResult> {
    const branch = this.pullRequestBranch;
    const current = await this.branchCommit(branch);
    let result: PushResult;
    if (!current) {
      result = await this.moveBranch(branch, undefined, treeSha, message, [baseCommit]);
    } else {
      const upToDate = await this.contains(current, baseCommit);
      if (upToDate && (await this.treeOf(current)) === treeSha) {
        return { ok: true, commit: current, note: `${await this.upsertPullRequest(branch, message)} (its branch already had this tree: no new commit)` };
      }
      result = await this.moveBranch(branch, current, treeSha, message, upToDate ? [] : [baseCommit]);
    }
    if (!result.ok) return result;
    return { ...result, note: await this.upsertPullRequest(branch, message) };
  }

  private async contains(head: string, base: string): Promise<boolean> {
    const { data } = await this.client.rest.repos.compareCommits({ ...this.where, base, head });
    return data.status === 'ahead' || data.status === 'identical';
  }

  private async upsertPullRequest(branch: string, message: string): Promise<string> {
    const [title, ...rest] = message.split('\n');
    const body = rest.join('\n').trim();
    const { data: open } = await this.client.rest.pulls.list({ ...this.where, state: 'open', head: `${this.owner}:${branch}`, base: this.settings.branch });
    if (open.length > 0) {
      await this.client.rest.pulls.update({ ...this.where, pull_number: open[0].number, title, body });
      return `updated pull request #${open[0].number}: ${open[0].html_url}`;
    }
    const { data: created } = await this.client.rest.pulls.create({ ...this.where, head: branch, base: this.settings.branch, title, body });
    return `opened pull request #${created.number}: ${created.html_url}`;
  }
}
