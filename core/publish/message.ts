// The commit message of a publish: what changed, in datasets, and where it was built from (the
// catalog commit and the steller version, as git trailers a script or Argo CD's UI can read).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TreeDiff } from '../diff/compare.js';
import { headline, summaryLine } from '../diff/format.js';
import { git, gitText } from './git-run.js';

export interface Provenance {
  project: string;
  /** `git rev-parse HEAD` of the catalog's repository, when it is in one. */
  catalogCommit?: string;
  /** The catalog folder has changes not committed. */
  catalogDirty?: boolean;
  /** owner/name of the catalog repository (GITHUB_REPOSITORY in Actions). */
  catalogRepository?: string;
  stellerVersion: string;
}

const MAX_LISTED = 50;

export function commitMessage(diff: TreeDiff, provenance: Provenance): string {
  const lines = [`Publish ${provenance.project}: ${headline(diff)}`, ''];
  if (diff.outputs.length > 0) lines.push(summaryLine(diff.outputs), '');
  for (const status of ['added', 'changed', 'removed'] as const) {
    const ids = diff.datasets.filter((d) => d.status === status).map((d) => d.id);
    if (ids.length === 0) continue;
    const listed = ids.slice(0, MAX_LISTED).join(', ');
    lines.push(`${status[0].toUpperCase()}${status.slice(1)}: ${listed}${ids.length > MAX_LISTED ? `, and ${ids.length - MAX_LISTED} more` : ''}`);
  }
  if (diff.datasets.length > 0) lines.push('');
  const source = provenance.catalogCommit
    ? `catalog commit ${provenance.catalogCommit}${provenance.catalogDirty ? ' with uncommitted changes' : ''}`
    : 'a catalog folder that is not in git';
  lines.push(`Rendered by steller ${provenance.stellerVersion} from ${source}.`, '');
  if (provenance.catalogRepository) lines.push(`Steller-Catalog-Repository: ${provenance.catalogRepository}`);
  lines.push(`Steller-Catalog-Commit: ${provenance.catalogCommit ?? 'none'}${provenance.catalogDirty ? ' (dirty)' : ''}`);
  lines.push(`Steller-Version: ${provenance.stellerVersion}`);
  return `${lines.join('\n')}\n`;
}

/** Where the catalog folder comes from: its commit, and whether it has uncommitted changes. */
export async function catalogProvenance(catalogDir: string, project: string, env: NodeJS.ProcessEnv = process.env): Promise<Provenance> {
  const provenance: Provenance = { project, stellerVersion: stellerVersion() };
  if (env.GITHUB_REPOSITORY) provenance.catalogRepository = env.GITHUB_REPOSITORY;
  const inRepo = await git(['rev-parse', '--is-inside-work-tree'], { cwd: catalogDir, okCodes: [128] });
  if (inRepo.code !== 0) return provenance;
  const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: catalogDir, okCodes: [1] });
  if (head.code !== 0) return provenance;
  provenance.catalogCommit = head.stdout.toString('utf8').trim();
  provenance.catalogDirty = (await gitText(['status', '--porcelain', '--', '.'], { cwd: catalogDir })) !== '';
  return provenance;
}

/** steller's version from its package.json (found upwards, so it works from the sources and from dist/). */
export function stellerVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'steller' && pkg.version) return pkg.version;
  }
  return 'unknown';
}
