// `steller publish`: render, check, and commit the tree to the service-config repository named
// in steller.yaml (git or GitHub). A catalog with errors publishes nothing; an unchanged tree
// makes no commit; `--dry-run` shows the commit it would make and changes nothing.
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { renderCatalog, type OutputTree } from '../../core/build.js';
import type { TreeDiff } from '../../core/diff/compare.js';
import { headline } from '../../core/diff/format.js';
import type { LoadResult } from '../../core/load.js';
import { catalogProvenance, commitMessage } from '../../core/publish/message.js';
import { PublishError, scrub } from '../../core/publish/scrub.js';
import { publishTree, type PublishOutcome } from '../../core/publish/target.js';
import { publishTargetFor, TARGET_KINDS, type TargetKind } from '../../core/publish/targets.js';
import { asJson as diagnosticsJson } from '../report.js';
import { EXIT_ERRORS, loadForCommand, printDiagnostics, say, UsageError, type CommonOptions } from '../common.js';

interface PublishOptions extends CommonOptions {
  dryRun?: boolean;
  target?: TargetKind;
  attempts: string;
}

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description('commit the rendered tree to the service-config repository in steller.yaml (publish.git or publish.github)')
    .option('--dry-run', 'show the commit it would make; change nothing')
    .addOption(new Option('--target <kind>', 'which target, when steller.yaml has both').choices(TARGET_KINDS))
    .option('--attempts <n>', 'how often to rebuild the commit when the branch keeps moving', '5')
    .action(async (_options, command: Command) => {
      const options = command.optsWithGlobals<PublishOptions>();
      const attempts = Number(options.attempts);
      if (!Number.isInteger(attempts) || attempts < 1) throw new UsageError(`--attempts must be a whole number of at least 1, not "${options.attempts}"`);
      const rendered = await renderForCommand(options, 'publish');
      if (!rendered) return;
      const catalogDir = resolve(options.catalog);
      const project = rendered.result.catalog!.project;
      const outcome = await withPublishErrors(async () => {
        const provenance = await catalogProvenance(catalogDir, project.name);
        const target = publishTargetFor({ project, catalogDir, ...(options.target ? { kind: options.target } : {}), log: say, writes: !options.dryRun });
        try {
          const result = await publishTree(target, rendered.tree, { message: (diff) => commitMessage(diff, provenance), dryRun: options.dryRun ?? false, attempts, log: say });
          return { result, description: target.description };
        } finally {
          await target.dispose();
        }
      });
      report(outcome.result, outcome.description, options, rendered.result);
    });
}

function report(outcome: PublishOutcome, description: string, options: PublishOptions, loaded: LoadResult): void {
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify({ ...diagnosticsJson(loaded.report.sorted()), ...asJson(outcome, description) }, null, 2)}\n`);
    return;
  }
  const head = outcome.head ? outcome.head.slice(0, 12) : 'a new branch';
  if (outcome.status === 'unchanged') {
    say(`nothing to publish: ${description} already has this tree (${head})`);
  } else if (outcome.status === 'dry-run') {
    process.stdout.write(`Would commit to ${description}, on top of ${head}:\n\n${indent(outcome.message)}\n${fileList(outcome.diff)}`);
    say('dry run: nothing was changed');
  } else {
    say(`published to ${description}: ${outcome.commit.slice(0, 12)} on top of ${head}, ${headline(outcome.diff)}${outcome.attempts > 1 ? ` (attempt ${outcome.attempts})` : ''}`);
    if (outcome.note) say(outcome.note);
  }
}

function asJson(outcome: PublishOutcome, target: string) {
  const files = outcome.status === 'unchanged' ? [] : outcome.diff.files.map((f) => ({ path: f.path, status: f.status }));
  return {
    status: outcome.status,
    target,
    head: outcome.head ?? null,
    ...(outcome.status === 'published' ? { commit: outcome.commit, attempts: outcome.attempts, note: outcome.note ?? null } : {}),
    ...(outcome.status !== 'unchanged' ? { message: outcome.message } : {}),
    files,
  };
}

function indent(text: string): string {
  return text.replace(/\n$/, '').split('\n').map((line) => (line ? `    ${line}` : '')).join('\n');
}

function fileList(diff: TreeDiff): string {
  const letter = { added: 'A', changed: 'M', removed: 'D' } as const;
  return `\nFiles:\n${diff.files.map((f) => `  ${letter[f.status]} ${f.path}\n`).join('')}`;
}

/** Load, render and check the catalog; print its diagnostics. Undefined (exit code set) when it has errors. */
export async function renderForCommand(options: CommonOptions, verb: string): Promise<{ result: LoadResult; tree: OutputTree } | undefined> {
  const result = await loadForCommand(options);
  const tree = result.catalog ? renderCatalog(result.catalog, result.report) : undefined;
  const failed = !tree || result.report.hasErrors || (options.strict === true && result.report.diagnostics.length > 0);
  // With --format json a successful command prints its diagnostics inside its own answer.
  if (failed || options.format !== 'json') printDiagnostics(result, options);
  if (!failed) return { result, tree };
  const why = result.report.hasErrors || !tree ? 'the catalog has errors' : 'the catalog has warnings and --strict is on';
  if (options.format === 'text') say(`${verb} stopped: ${why}${verb === 'publish' ? '; nothing was published' : ''}`);
  process.exitCode = EXIT_ERRORS;
  return undefined;
}

/** Failures of git, GitHub or the network end as a plain message (exit 2), with no credential in it. */
export async function withPublishErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UsageError || error instanceof PublishError) throw new UsageError(scrub(error.message));
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number') throw new UsageError(scrub(`GitHub answered ${status}: ${(error as Error).message}`));
    if (error instanceof Error) error.message = scrub(error.message);
    throw error;
  }
}
