// The github target against a loopback GitHub over a real bare repository: the real octokit
// with its retry and throttling plugins, injected 5xx answers, rate limits, a push racing ours,
// and the pull-request mode. What lands is checked as git objects.
import Bottleneck from 'bottleneck';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutputTree } from '../../core/build.js';
import { createGitHubClient } from '../../core/publish/github-client.js';
import { GitHubTarget } from '../../core/publish/github-target.js';
import { commitMessage } from '../../core/publish/message.js';
import { publishTree, type PublishOutcome } from '../../core/publish/target.js';
import { tempDir } from '../helpers/cli.js';
import { MINIMAL_DATASET, MINIMAL_PROJECT, writeCatalog } from '../helpers/write-catalog.js';
import { runCliAsync } from './helpers/cli-async.js';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github.js';
import { commitCount, commitOnBranch, contentsOf, filesAt, gitSync, PROBE_DATASETS, probeTree } from './helpers/trees.js';

const REPO = 'neracoos/service-config';
const PROVENANCE = { project: 'neracoos', catalogCommit: '0123456789abcdef0123456789abcdef01234567', stellerVersion: '0.1.0' };

let fake: FakeGitHub;
let logs: string[];

function target(pullRequest = false): GitHubTarget {
  const client = createGitHubClient({
    token: fake.token,
    baseUrl: fake.baseUrl,
    log: (message) => logs.push(message),
    retryBaseMs: 1,
    // GitHub's spacing of writes (1 s, 3 s for pull requests) would make each test take many
    // seconds; the limiters stay, without the spacing, and rate-limit waits are scaled to ms.
    throttle: {
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
      retryAfterBaseValue: 1,
    },
  });
  return new GitHubTarget(client, { repo: REPO, branch: 'main', pullRequest });
}

function publish(t: GitHubTarget, tree: OutputTree): Promise<PublishOutcome> {
  return publishTree(t, tree, { message: (diff) => commitMessage(diff, PROVENANCE), backoffMs: () => 1 });
}

const writes = () => fake.log.filter((line) => !line.startsWith('GET '));
const count = (pattern: RegExp) => fake.log.filter((line) => pattern.test(line)).length;

const renamed = (id: string, title: string) => PROBE_DATASETS.map((d) => (d.id === id ? { ...d, title } : d));

beforeEach(async () => {
  fake = await startFakeGitHub();
  logs = [];
});
afterEach(async () => {
  await fake.close();
});

describe('github target', () => {
  it('starts an empty repository, then sends only what changed; no commit when nothing did', async () => {
    const big = 'x'.repeat(300 * 1024);
    const first = probeTree(PROBE_DATASETS, { 'erddap/data/big.txt': big });
    const outcome = await publish(target(), first);
    expect(outcome.status).toBe('published');
    expect(await filesAt(fake.gitDir, 'main')).toEqual(contentsOf(first));
    expect(count(/^PUT .*\/contents\/steller\.lock\.json$/)).toBe(1);
    // only the large file travels as a blob: once refused by the empty repository (409), once for real
    expect(count(/^POST .*\/git\/blobs$/)).toBe(2);

    fake.log.length = 0;
    expect((await publish(target(), first)).status).toBe('unchanged');
    expect(writes()).toEqual([]);

    const second = probeTree(renamed('B01_met', 'Buoy B01 renamed'), { 'erddap/data/big.txt': big });
    const commitsBefore = commitCount(fake.gitDir);
    const changed = await publish(target(), second);
    expect(changed.status).toBe('published');
    expect(commitCount(fake.gitDir)).toBe(commitsBefore + 1);
    expect(await filesAt(fake.gitDir, 'main')).toEqual(contentsOf(second));
    expect(writes().map((w) => w.replace(/^(\w+) \/repos\/neracoos\/service-config/, '$1 '))).toEqual(['POST /git/trees', 'POST /git/commits', 'PATCH /git/refs/heads/main']);
    if (changed.status === 'published') expect(changed.message).toMatch(/^Changed: B01_met$/m);
  });

  it('deletes what the catalog no longer renders, also when GitHub truncates the tree listing', async () => {
    await publish(target(), probeTree(PROBE_DATASETS));
    fake.truncateRecursiveTrees = true;
    const fewer = probeTree(PROBE_DATASETS.filter((d) => d.id !== 'A01_met'));
    expect((await publish(target(), fewer)).status).toBe('published');
    const published = await filesAt(fake.gitDir, 'main');
    expect(published.has('qc/A01_met.yaml')).toBe(false);
    expect(published).toEqual(contentsOf(fewer));
  });

  it('survives 5xx answers and rate limits without losing or doubling a commit', async () => {
    await publish(target(), probeTree(PROBE_DATASETS));
    const before = commitCount(fake.gitDir);
    const resetSoon = String(Math.floor(Date.now() / 1000) + 1);
    fake.faults.push(
      { method: 'GET', path: /\/git\/ref\/heads\/main$/, times: 1, status: 403, headers: { 'retry-after': '1' }, message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
      { method: 'POST', path: /\/git\/trees$/, times: 2, status: 500, message: 'Server Error' },
      { method: 'POST', path: /\/git\/commits$/, times: 1, status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetSoon }, message: 'API rate limit exceeded' },
      { method: 'POST', path: /\/git\/commits$/, times: 1, status: 502, message: 'Bad Gateway' },
      // The ref moved, then the answer got lost: the retry must find its own commit there, not make another.
      { method: 'PATCH', path: /\/git\/refs\/heads\/main$/, times: 1, status: 500, message: 'Server Error', afterHandling: true },
    );
    const tree = probeTree(renamed('PORTS_CC_realtime', 'Cape Cod Canal currents, renamed'));
    const outcome = await publish(target(), tree);
    expect(outcome.status).toBe('published');
    expect(fake.faults.every((f) => f.times === 0)).toBe(true);
    expect(commitCount(fake.gitDir)).toBe(before + 1);
    expect(await filesAt(fake.gitDir, 'main')).toEqual(contentsOf(tree));
    expect(logs.some((l) => /secondary rate limit/.test(l))).toBe(true);
    expect(logs.some((l) => /primary rate limit/.test(l))).toBe(true);
  });

  it('rebuilds on the new head when someone pushes between reading the branch and moving it', async () => {
    await publish(target(), probeTree(PROBE_DATASETS));
    fake.log.length = 0;
    const before = commitCount(fake.gitDir);
    let theirs = '';
    fake.beforeRequest = async (method, path) => {
      if (method !== 'PATCH' || !path.endsWith('/git/refs/heads/main')) return false;
      theirs = commitOnBranch(fake.gitDir, 'main', { '.github/CODEOWNERS': '* @neracoos/ops\n' });
      return true;
    };
    const tree = probeTree(renamed('A01_met', 'Buoy A01, renamed'));
    const outcome = await publish(target(), tree);
    expect(outcome.status).toBe('published');
    if (outcome.status === 'published') expect(outcome.attempts).toBe(2);
    expect(count(/^PATCH .*\/git\/refs\/heads\/main$/)).toBe(2);
    expect(commitCount(fake.gitDir)).toBe(before + 2);
    expect(gitSync(['--git-dir', fake.gitDir, 'rev-parse', 'main^']).trim()).toBe(theirs);
    const published = await filesAt(fake.gitDir, 'main');
    expect(published.get('.github/CODEOWNERS')).toBe('* @neracoos/ops\n');
    published.delete('.github/CODEOWNERS');
    expect(published).toEqual(contentsOf(tree));
  });

  it('with pull_request: true, opens one pull request and updates it on later publishes', async () => {
    await publish(target(), probeTree(PROBE_DATASETS));
    const main = gitSync(['--git-dir', fake.gitDir, 'rev-parse', 'main']).trim();
    const branch = 'steller/publish-main';

    const first = probeTree(renamed('A01_met', 'first change'));
    const opened = await publish(target(true), first);
    expect(opened.status === 'published' && opened.note).toMatch(/^opened pull request #1/);
    expect(gitSync(['--git-dir', fake.gitDir, 'rev-parse', 'main']).trim()).toBe(main);
    expect(await filesAt(fake.gitDir, branch)).toEqual(contentsOf(first));

    const moved = commitOnBranch(fake.gitDir, 'main', { '.github/CODEOWNERS': '* @ops\n' });
    const second = probeTree(renamed('A01_met', 'second change'));
    const updated = await publish(target(true), second);
    expect(updated.status === 'published' && updated.note).toMatch(/^updated pull request #1/);
    expect(fake.pulls).toHaveLength(1);
    expect(fake.pulls[0].title).toMatch(/^Publish neracoos: /);
    // The branch took main's new commit in, so the pull request merges to exactly the rendered tree.
    expect(gitSync(['--git-dir', fake.gitDir, 'rev-parse', `${branch}^2`]).trim()).toBe(moved);
    const published = await filesAt(fake.gitDir, branch);
    expect(published.get('.github/CODEOWNERS')).toBe('* @ops\n');
    published.delete('.github/CODEOWNERS');
    expect(published).toEqual(contentsOf(second));

    const tip = gitSync(['--git-dir', fake.gitDir, 'rev-parse', branch]).trim();
    const again = await publish(target(true), second);
    expect(again.status === 'published' && again.note).toMatch(/^updated pull request #1.*no new commit/);
    expect(gitSync(['--git-dir', fake.gitDir, 'rev-parse', branch]).trim()).toBe(tip);
  });
});

describe('steller publish --target github (CLI)', () => {
  it('reads the token from GITHUB_TOKEN and never prints it, not even in errors', async () => {
    const scratch = tempDir('steller-publish-gh-cli-');
    try {
      // A small catalog: the point is the token, not the rendering.
      const catalog = writeCatalog(join(scratch.dir, 'catalog'), {
        'steller.yaml': `${MINIMAL_PROJECT}publish:\n  github: { repo: ${REPO}, branch: main, api_url: "${fake.baseUrl}" }\n`,
        'datasets/buoy_a.yaml': MINIMAL_DATASET,
      });
      const good = await runCliAsync(['publish', '--catalog', catalog, '--dry-run'], { cwd: scratch.dir, env: { GITHUB_TOKEN: fake.token } });
      expect(good.status, good.stderr).toBe(0);
      expect(good.stdout).toMatch(/^Would commit to GitHub neracoos\/service-config \(main\), on top of a new branch:/);
      expect(`${good.stdout}${good.stderr}`).not.toContain(fake.token);

      const wrong = 'ghp_wrongtoken9876543210';
      const bad = await runCliAsync(['publish', '--catalog', catalog], { cwd: scratch.dir, env: { GITHUB_TOKEN: wrong } });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/GitHub answered 401/);
      expect(`${bad.stdout}${bad.stderr}`).not.toContain(wrong);
      expect(commitCount(fake.gitDir, '--all')).toBe(0);
    } finally {
      scratch.cleanup();
    }
  });
});
