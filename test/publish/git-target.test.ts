// The git target, for real: the example catalog published to a bare repository on disk, with
// the rendered tree as the oracle whatever the generators produce today; and over smart HTTP
// (git http-backend), where a push races ours.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, renderCatalog, type OutputTree } from '../../core/build.js';
import { readLockDatasets } from '../../core/diff/compare.js';
import { loadCatalog } from '../../core/load.js';
import { readTree } from '../../core/output.js';
import { GitTarget } from '../../core/publish/git-target.js';
import { catalogProvenance, commitMessage } from '../../core/publish/message.js';
import { publishTree, type PublishOutcome } from '../../core/publish/target.js';
import { copyExampleCatalog, runCli, tempDir } from '../helpers/cli.js';
import { startGitHttp, type GitHttpServer } from './helpers/git-http.js';
import { commitCount, commitOnBranch, contentsOf, filesAt, gitSync, PROBE_DATASETS, probeTree } from './helpers/trees.js';

function render(catalogDir: string): OutputTree {
  const loaded = loadCatalog(catalogDir);
  if (!loaded.catalog) throw new Error(`catalog does not load: ${JSON.stringify(loaded.report.sorted())}`);
  const tree = renderCatalog(loaded.catalog, loaded.report);
  if (loaded.report.hasErrors) throw new Error(`catalog does not build: ${JSON.stringify(loaded.report.sorted())}`);
  return tree;
}

async function publish(target: GitTarget, catalogDir: string, tree: OutputTree): Promise<PublishOutcome> {
  const provenance = await catalogProvenance(catalogDir, 'neracoos');
  return publishTree(target, tree, { message: (diff) => commitMessage(diff, provenance), backoffMs: () => 1 });
}

function changedInLastCommit(gitDir: string): string[] {
  return gitSync(['--git-dir', gitDir, 'diff-tree', '--no-commit-id', '--name-only', '-r', 'main']).trim().split('\n').filter(Boolean).sort();
}

function differingPaths(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p)).sort();
}

/** The lock's datasets per file, for "which outputs are this dataset's". */
function lockOf(tree: OutputTree) {
  return readLockDatasets(tree.get(LOCK_FILE)!.content);
}

describe('publish to a bare repository on disk (the example catalog)', () => {
  const scratch = tempDir('steller-publish-git-');
  const catalog = copyExampleCatalog(scratch.dir);
  const bare = join(scratch.dir, 'service-config.git');
  const target = new GitTarget({ url: '../service-config.git', branch: 'main', baseDir: catalog });
  /** The rendered tree of the catalog as it is now (rendering is the slow part: once per change). */
  let current: OutputTree;

  beforeAll(() => {
    gitSync(['init', '-q', '--bare', bare]);
    gitSync(['init', '-q', scratch.dir]);
    gitSync(['add', '.'], { cwd: scratch.dir });
    gitSync(['commit', '-q', '-m', 'catalog'], { cwd: scratch.dir });
  });
  afterAll(async () => {
    await target.dispose();
    scratch.cleanup();
  });

  it('makes one commit with exactly the rendered tree, and none when publishing again', async () => {
    current = render(catalog);
    const first = await publish(target, catalog, current);
    expect(first.status).toBe('published');
    expect(commitCount(bare)).toBe(1);
    expect(await filesAt(bare, 'main')).toEqual(contentsOf(current));
    const catalogCommit = gitSync(['rev-parse', 'HEAD'], { cwd: scratch.dir }).trim();
    const message = gitSync(['--git-dir', bare, 'log', '-1', '--format=%B', 'main']);
    expect(message).toContain(`Steller-Catalog-Commit: ${catalogCommit}`);
    expect(message).toMatch(/^Steller-Version: \d+\.\d+\.\d+/m);
    expect((await publish(target, catalog, current)).status).toBe('unchanged');
    expect(commitCount(bare)).toBe(1);
  });

  it('changing one dataset makes one commit touching only its outputs', async () => {
    const before = current;
    const file = join(catalog, 'datasets/buoys/B01_met.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: NERACOOS Buoy B01 - Western Maine Shelf - Met (renamed)'));
    const after = (current = render(catalog));
    const outcome = await publish(target, catalog, after);
    expect(outcome.status).toBe('published');
    expect(commitCount(bare)).toBe(2);
    const touched = changedInLastCommit(bare);
    expect(touched).toEqual(differingPaths(contentsOf(before), contentsOf(after)));
    const lock = lockOf(after);
    for (const path of touched.filter((p) => p !== LOCK_FILE)) expect(lock.get(path), path).toContain('B01_met');
    expect(await filesAt(bare, 'main')).toEqual(contentsOf(after));
    if (outcome.status === 'published') expect(outcome.message).toMatch(/^Changed: B01_met$/m);
  });

  it('removing a dataset deletes its outputs', async () => {
    const own = [...lockOf(current)].filter(([, ids]) => ids.length === 1 && ids[0] === 'ndbc_44013').map(([path]) => path);
    rmSync(join(catalog, 'datasets/external/ndbc_44013.yaml'));
    current = render(catalog);
    const outcome = await publish(target, catalog, current);
    expect(outcome.status).toBe('published');
    const published = await filesAt(bare, 'main');
    for (const path of own) expect(published.has(path), path).toBe(false);
    expect(published).toEqual(contentsOf(current));
    for (const [, ids] of lockOf(current)) expect(ids).not.toContain('ndbc_44013');
    if (outcome.status === 'published') expect(outcome.message).toMatch(/^Removed: ndbc_44013$/m);
  });

  it('keeps files steller does not own (hidden paths) and builds on commits others pushed', async () => {
    const theirs = commitOnBranch(bare, 'main', { '.github/CODEOWNERS': '* @neracoos/ops\n', 'README.md': 'not rendered by steller\n' });
    const outcome = await publish(target, catalog, current);
    expect(outcome.status).toBe('published');
    const published = await filesAt(bare, 'main');
    expect(published.get('.github/CODEOWNERS')).toBe('* @neracoos/ops\n');
    expect(published.has('README.md')).toBe(false);
    expect(gitSync(['--git-dir', bare, 'rev-parse', 'main^']).trim()).toBe(theirs);
  });
});

describe('publish through the CLI', () => {
  const scratch = tempDir('steller-publish-cli-');
  const catalog = copyExampleCatalog(scratch.dir);
  const bare = join(scratch.dir, 'service-config.git');
  afterAll(() => scratch.cleanup());

  it('publishes exactly out/ to a fresh bare repository', async () => {
    gitSync(['init', '-q', '--bare', bare]);
    const built = runCli(['build', '--catalog', catalog, '--out', join(scratch.dir, 'out')], { cwd: scratch.dir });
    expect(built.status, built.stderr).toBe(0);
    const published = runCli(['publish', '--catalog', catalog], { cwd: scratch.dir });
    expect(published.status, published.stderr).toBe(0);
    expect(published.stderr).toMatch(/published to git \.\.\/service-config\.git \(main\)/);
    expect(await filesAt(bare, 'main')).toEqual(readTree(join(scratch.dir, 'out')));
  });

  it('--dry-run shows the commit and changes nothing', () => {
    const file = join(catalog, 'datasets/buoys/A01_met.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Buoy A01 renamed'));
    const dry = runCli(['publish', '--catalog', catalog, '--dry-run'], { cwd: scratch.dir });
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^Would commit to git \.\.\/service-config\.git \(main\), on top of [0-9a-f]{12}:/);
    expect(dry.stdout).toMatch(/^ {4}Changed: A01_met$/m);
    expect(commitCount(bare)).toBe(1);
  });

  it('publishes nothing from a catalog with errors', () => {
    const file = join(catalog, 'datasets/buoys/A01_met.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nnot_a_key: 1\n`);
    const broken = runCli(['publish', '--catalog', catalog], { cwd: scratch.dir });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('nothing was published');
    expect(commitCount(bare)).toBe(1);
  });
});

describe('publish over smart HTTP (git http-backend)', () => {
  const scratch = tempDir('steller-publish-http-');
  const bare = join(scratch.dir, 'service-config.git');
  let server: GitHttpServer;
  let target: GitTarget;
  const provenance = { project: 'neracoos', stellerVersion: '0.1.0' };
  const publishProbe = (tree: OutputTree) => publishTree(target, tree, { message: (diff) => commitMessage(diff, provenance), backoffMs: () => 1 });

  beforeAll(async () => {
    gitSync(['init', '-q', '--bare', bare]);
    gitSync(['--git-dir', bare, 'config', 'http.receivepack', 'true']);
    server = await startGitHttp(scratch.dir);
    target = new GitTarget({ url: server.url('service-config.git'), branch: 'main', baseDir: scratch.dir });
  });
  afterAll(async () => {
    await target.dispose();
    await server.close();
    scratch.cleanup();
  });

  it('publishes, and when someone pushes while it does, rebuilds on their commit: nothing lost, nothing doubled', async () => {
    const first = probeTree(PROBE_DATASETS);
    expect((await publishProbe(first)).status).toBe('published');
    expect(await filesAt(bare, 'main')).toEqual(contentsOf(first));

    let theirs = '';
    server.beforeReceivePack = async () => {
      theirs = commitOnBranch(bare, 'main', { '.github/CODEOWNERS': '* @neracoos/ops\n' });
    };
    const pushesBefore = server.pushes;
    const changed = probeTree(PROBE_DATASETS.map((d) => (d.id === 'B01_met' ? { ...d, title: 'renamed' } : d)));
    const outcome = await publishProbe(changed);
    expect(outcome.status).toBe('published');
    if (outcome.status === 'published') expect(outcome.attempts).toBe(2);
    expect(server.pushes - pushesBefore).toBe(2);
    expect(commitCount(bare)).toBe(3);
    expect(gitSync(['--git-dir', bare, 'rev-parse', 'main^']).trim()).toBe(theirs);
    const published = await filesAt(bare, 'main');
    expect(published.get('.github/CODEOWNERS')).toBe('* @neracoos/ops\n');
    published.delete('.github/CODEOWNERS');
    expect(published).toEqual(contentsOf(changed));
    expect(gitSync(['--git-dir', bare, 'log', '--format=%s', 'main']).split('\n').filter((s) => s.startsWith('Publish ')).length).toBe(2);
  });
});
