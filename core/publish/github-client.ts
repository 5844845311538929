// The GitHub REST client publish uses: octokit with its retry plugin (5xx answers, with growing
// waits) and its throttling plugin (GitHub's advice of one write a second; primary and secondary
// rate limits honoured by waiting retry-after). Its log goes through scrub, like everything else.
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { scrub } from './scrub.js';

const SteadyOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof SteadyOctokit>;

export interface GitHubClientOptions {
  token?: string;
  /** API root, e.g. https://github.example.org/api/v3 for GitHub Enterprise; default api.github.com. */
  baseUrl?: string;
  userAgent?: string;
  log?: (message: string) => void;
  /** How long GitHub may ask us to wait (retry-after) before we give up, in seconds. */
  maxWaitSeconds?: number;
  /** Multiplier of the retry plugin's 1, 4, 9, 16 back-off, in ms (tests make it small). */
  retryBaseMs?: number;
  /** Overrides of the throttling plugin (tests pass a write limiter without the 1 s spacing). */
  throttle?: Partial<ThrottlingOptions>;
}

const RATE_LIMIT_RETRIES = 4;

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const log = (message: string) => options.log?.(scrub(message));
  const maxWait = options.maxWaitSeconds ?? 900;
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
    const retrying = retryCount < RATE_LIMIT_RETRIES && retryAfter <= maxWait;
    log(`GitHub ${kind} rate limit on ${request.method} ${request.url}: ${retrying ? `waiting ${retryAfter} s and retrying` : 'giving up'}`);
    return retrying;
  };
  return new SteadyOctokit({
    ...(options.token ? { auth: options.token } : {}),
    ...(options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, '') } : {}),
    userAgent: options.userAgent ?? 'steller',
    log: { debug: () => {}, info: () => {}, warn: log, error: log },
    // 409 joins the plugin's list of answers a retry cannot change (an empty repository).
    retry: { retries: 4, doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451], ...(options.retryBaseMs !== undefined ? { retryAfterBaseValue: options.retryBaseMs } : {}) },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      ...options.throttle,
    } as ThrottlingOptions,
  });
}

/** The HTTP status of an octokit error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : undefined;
}
