// Small output trees for tests of diff and publish that must not depend on how far the
// generators have come: a shared datasets.xml (one block per dataset) and a file per dataset,
// with the lock file the real build writes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LOCK_FILE, lockFileText, type OutputTree } from '../../../core/build.js';
import { listGitTree, readBlobs } from '../../../core/publish/git-run.js';
import { compareStrings } from '../../../core/diagnostics.js';
import type { OutputFile } from '../../../generators/types.js';

export interface ProbeDataset {
  id: string;
  title: string;
}

/** `extra` files: a text (no dataset) or a text with the datasets the lock should list for it. */
export function probeTree(datasets: readonly ProbeDataset[], extra: Record<string, string | { content: string; datasets: string[] }> = {}): OutputTree {
  const sorted = [...datasets].sort((a, b) => compareStrings(a.id, b.id));
  const files: OutputFile[] = [
    {
      path: 'erddap/data/datasets.xml',
      content: `<?xml version="1.0" encoding="UTF-8"?>\n<erddapDatasets>\n  <cacheMinutes>60</cacheMinutes>\n${sorted.map(block).join('')}</erddapDatasets>\n`,
      datasets: sorted.map((d) => d.id),
    },
    ...sorted.map((d) => ({ path: `qc/${d.id}.yaml`, content: `streams:\n  temp:\n    qartod:\n      gross_range_test: { suspect_span: [0, 30], fail_span: [-2, 40] }\n# ${d.title}\n`, datasets: [d.id] })),
    ...Object.entries(extra).map(([path, file]) => ({ path, ...(typeof file === 'string' ? { content: file, datasets: [] } : file) })),
  ];
  const tree = new Map(files.sort((a, b) => compareStrings(a.path, b.path)).map((f) => [f.path, f]));
  tree.set(LOCK_FILE, { path: LOCK_FILE, content: lockFileText(tree), datasets: [] });
  return tree;
}

function block(d: ProbeDataset): string {
  return `  <dataset type="EDDTableFromNcFiles" datasetID="${d.id}" active="true">\n    <reloadEveryNMinutes>10</reloadEveryNMinutes>\n    <addAttributes>\n      <att name="title">${d.title}</att>\n    </addAttributes>\n  </dataset>\n`;
}

export const PROBE_DATASETS: readonly ProbeDataset[] = [
  { id: 'A01_met', title: 'Buoy A01 meteorology' },
  { id: 'B01_met', title: 'Buoy B01 meteorology' },
  { id: 'PORTS_CC_realtime', title: 'Cape Cod Canal currents' },
];

/** Runs git synchronously (test set-up and inspection), failing loudly. */
export function gitSync(args: readonly string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): string {
  const result = spawnSync('git', args, {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'tester', GIT_AUTHOR_EMAIL: 'tester@example.org', GIT_COMMITTER_NAME: 'tester', GIT_COMMITTER_EMAIL: 'tester@example.org', ...options.env },
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** path -> content of every file of a commit in a (bare) repository (two git processes in all). */
export async function filesAt(gitDir: string, ref: string): Promise<Map<string, string>> {
  const entries = await listGitTree(gitDir, ref);
  const blobs = await readBlobs(gitDir, entries.map((e) => e.sha));
  return new Map(entries.map((e) => [e.path, blobs.get(e.sha)!.toString('utf8')]));
}

export function contentsOf(tree: OutputTree): Map<string, string> {
  return new Map([...tree].map(([path, file]) => [path, file.content]));
}

export function commitCount(gitDir: string, ref = 'main'): number {
  return Number(gitSync(['--git-dir', gitDir, 'rev-list', '--count', ref]).trim());
}

/** Someone else's commit on `branch` of a bare repository (plumbing, no work tree): files added or replaced. */
export function commitOnBranch(gitDir: string, branch: string, files: Record<string, string>, message = 'someone else was here'): string {
  const index = join(mkdtempSync(join(tmpdir(), 'steller-index-')), 'index');
  const env = { GIT_INDEX_FILE: index };
  const head = gitSync(['--git-dir', gitDir, 'rev-parse', `refs/heads/${branch}`]).trim();
  gitSync(['--git-dir', gitDir, 'read-tree', head], { env });
  for (const [path, content] of Object.entries(files)) {
    const sha = gitSync(['--git-dir', gitDir, 'hash-object', '-w', '--stdin'], { input: content }).trim();
    gitSync(['--git-dir', gitDir, 'update-index', '--add', '--cacheinfo', `100644,${sha},${path}`], { env });
  }
  const tree = gitSync(['--git-dir', gitDir, 'write-tree'], { env }).trim();
  const commit = gitSync(['--git-dir', gitDir, 'commit-tree', tree, '-p', head, '-m', message]).trim();
  gitSync(['--git-dir', gitDir, 'update-ref', `refs/heads/${branch}`, commit, head]);
  rmSync(dirname(index), { recursive: true, force: true });
  return commit;
}
