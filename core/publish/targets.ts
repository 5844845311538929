// From steller.yaml's `publish` block to a target: `git` (any remote, or a bare repository on
// disk, the default that needs no account) or `github` (the REST API, token from GITHUB_TOKEN).
import type { Project } from '../../schemas/catalog.js';
import { createGitHubClient } from './github-client.js';
import { GitHubTarget } from './github-target.js';
import { GitTarget } from './git-target.js';
import { stellerVersion } from './message.js';
import { PublishError } from './scrub.js';
import type { PublishTarget } from './target.js';

export type TargetKind = 'git' | 'github';
export const TARGET_KINDS: readonly TargetKind[] = ['git', 'github'];

export interface TargetRequest {
  project: Project;
  /** The catalog folder: a relative `publish.git.url` is resolved against it. */
  catalogDir: string;
  /** Which one, when steller.yaml configures both. */
  kind?: TargetKind;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
  /** It will write (not a dry run, not a diff): a GitHub target then needs a token. */
  writes?: boolean;
}

export function publishTargetFor(request: TargetRequest): PublishTarget {
  const settings = request.project.publish ?? {};
  const configured = TARGET_KINDS.filter((kind) => settings[kind] !== undefined);
  if (configured.length === 0) {
    throw new PublishError('steller.yaml has no publish target: add `publish: { git: { url: ../service-config.git } }` or `publish: { github: { repo: owner/name } }`');
  }
  const kind = request.kind ?? (configured.length === 1 ? configured[0] : undefined);
  if (!kind) throw new PublishError('steller.yaml sets both publish.git and publish.github: choose one with --target git or --target github');
  if (kind === 'git') {
    const git = settings.git;
    if (!git) throw new PublishError('--target git, but steller.yaml has no publish.git');
    return new GitTarget({ url: git.url, branch: git.branch, baseDir: request.catalogDir });
  }
  const github = settings.github;
  if (!github) throw new PublishError('--target github, but steller.yaml has no publish.github');
  const env = request.env ?? process.env;
  const token = env.GITHUB_TOKEN || env.GH_TOKEN || undefined;
  if (!token && request.writes) {
    throw new PublishError(`GITHUB_TOKEN is not set: publishing to ${github.repo} needs a token that may write its contents (and pull requests, with pull_request: true)`);
  }
  const client = createGitHubClient({
    token,
    baseUrl: github.api_url ?? env.GITHUB_API_URL,
    userAgent: `steller/${stellerVersion()}`,
    ...(request.log ? { log: request.log } : {}),
  });
  return new GitHubTarget(client, { repo: github.repo, branch: github.branch, pullRequest: github.pull_request });
}
