// The catalog as it was at a git ref, rendered with today's steller: what `diff --against-git`
// compares with. The catalog folder's files at that ref are written to a scratch folder straight
// from git's objects (ls-tree + cat-file; no checkout, no worktree, nothing changes in the
// user's repository), then loaded and rendered like any catalog.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderCatalog, type OutputTree } from '../build.js';
import { loadCatalog } from '../load.js';
import { git, listGitTree, readBlobs } from '../publish/git-run.js';
import { PublishError } from '../publish/scrub.js';

export interface CatalogAtRef {
  /** The commit the ref names. */
  commit: string;
  /** Undefined when the catalog at that commit has errors (`errors` says how many). */
  tree?: OutputTree;
  errors: number;
}

export async function renderCatalogAtRef(catalogDir: string, ref: string): Promise<CatalogAtRef> {
  const inRepo = await git(['rev-parse', '--absolute-git-dir', '--show-prefix'], { cwd: catalogDir, okCodes: [128] });
  if (inRepo.code !== 0) throw new PublishError(`--against-git needs the catalog folder to be in a git repository; ${catalogDir} is not`);
  const [gitDir, prefix = ''] = inRepo.stdout.toString('utf8').split('\n');
  const resolved = await git(['--git-dir', gitDir, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { okCodes: [1] });
  if (resolved.code !== 0) throw new PublishError(`--against-git: "${ref}" is not a commit in ${dirname(gitDir)} (fetch it first, e.g. git fetch origin main)`);
  const commit = resolved.stdout.toString('utf8').trim();
  const scratch = mkdtempSync(join(tmpdir(), 'steller-at-ref-'));
  try {
    await writeFolderAt(gitDir, commit, prefix, scratch);
    const loaded = loadCatalog(scratch);
    if (!loaded.catalog) return { commit, errors: Math.max(1, loaded.report.errorCount) };
    const tree = renderCatalog(loaded.catalog, loaded.report);
    if (loaded.report.hasErrors) return { commit, errors: loaded.report.errorCount };
    return { commit, tree, errors: 0 };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function writeFolderAt(gitDir: string, commit: string, prefix: string, target: string): Promise<void> {
  const entries = (await listGitTree(gitDir, commit, prefix)).filter((e) => e.type === 'blob');
  const blobs = await readBlobs(gitDir, entries.map((e) => e.sha));
  for (const entry of entries) {
    const path = join(target, entry.path.slice(prefix.length));
    mkdirSync(dirname(path), { recursive: true });
    const bytes = blobs.get(entry.sha)!;
    if (entry.mode === '120000') symlinkSync(bytes.toString('utf8'), path);
    else writeFileSync(path, bytes);
  }
}

