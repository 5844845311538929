// The narrow interface every publish target implements, and the loop they share: read the
// branch head, compare, commit only when something changed, and when the branch moved under us
// (someone pushed meanwhile) start again from the new head, never force. Side effects stay in
// the targets; this loop decides.
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutputTree } from '../build.js';
import { compareTrees, hasDifferences, type TreeDiff } from '../diff/compare.js';
import type { TreeSnapshot } from '../diff/snapshot.js';
import { PublishError } from './scrub.js';

export interface Head {
  /** The branch's commit; undefined when the branch does not exist yet. */
  commit?: string;
  snapshot: TreeSnapshot;
}

export type PushResult =
  | { ok: true; commit: string; /** e.g. the pull request it opened or updated */ note?: string }
  | { ok: false; /** why the branch had moved, in git's or GitHub's words */ reason: string };

export interface PublishTarget {
  /** For people: "git ../service-config.git (main)". */
  readonly description: string;
  readHead(): Promise<Head>;
  /** Makes one commit whose tree is `tree` (hidden paths of the head kept), parent `head`, and moves the branch without force. */
  push(head: Head, diff: TreeDiff, tree: OutputTree, message: string): Promise<PushResult>;
  /** Removes scratch state; safe to call twice. */
  dispose(): Promise<void>;
}

export type PublishOutcome =
  | { status: 'unchanged'; head?: string }
  | { status: 'dry-run'; head?: string; diff: TreeDiff; message: string }
  | { status: 'published'; head?: string; diff: TreeDiff; message: string; commit: string; attempts: number; note?: string };

export interface PublishOptions {
  message: (diff: TreeDiff) => string;
  dryRun?: boolean;
  /** How many times to rebuild on a branch that keeps moving. */
  attempts?: number;
  /** Wait before attempt n+1, in ms (grows with n so racing publishers spread out). */
  backoffMs?: (attempt: number) => number;
  log?: (message: string) => void;
}

export async function publishTree(target: PublishTarget, tree: OutputTree, options: PublishOptions): Promise<PublishOutcome> {
  const attempts = options.attempts ?? 5;
  const reasons: string[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const head = await target.readHead();
    const diff = await compareTrees(head.snapshot, tree, { patch: false });
    if (!hasDifferences(diff)) return { status: 'unchanged', head: head.commit };
    const message = options.message(diff);
    if (options.dryRun) return { status: 'dry-run', head: head.commit, diff, message };
    const result = await target.push(head, diff, tree, message);
    if (result.ok) return { status: 'published', head: head.commit, diff, message, commit: result.commit, attempts: attempt, note: result.note };
    reasons.push(result.reason);
    options.log?.(`${target.description} moved while publishing (${result.reason}); rebuilding on its new head`);
    if (attempt < attempts) await sleep(options.backoffMs?.(attempt) ?? 250 * attempt);
  }
  throw new PublishError(`gave up after ${attempts} attempts: ${target.description} kept moving (${reasons.join('; ')}); run publish again`);
}
