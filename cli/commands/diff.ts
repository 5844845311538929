// `steller diff`: what the catalog as it is now changes in every output, against a folder, the
// catalog at a git ref, or (by default) the publish target's branch.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { compareTrees, hasDifferences } from '../../core/diff/compare.js';
import { formatJson, formatMarkdown, formatText } from '../../core/diff/format.js';
import { renderCatalogAtRef } from '../../core/diff/git-ref.js';
import { EMPTY_SNAPSHOT, snapshotOfDirectory, snapshotOfTree, type TreeSnapshot } from '../../core/diff/snapshot.js';
import { publishTargetFor, TARGET_KINDS, type TargetKind } from '../../core/publish/targets.js';
import type { Project } from '../../schemas/catalog.js';
import { asJson } from '../report.js';
import { EXIT_ERRORS, say, UsageError, type CommonOptions } from '../common.js';
import { renderForCommand, withPublishErrors } from './publish.js';

interface DiffOptions extends CommonOptions {
  against?: string;
  againstGit?: string;
  target?: TargetKind;
  summaryOnly?: boolean;
  exitCode?: boolean;
  maxChars: string;
}

interface Previous {
  snapshot: TreeSnapshot;
  label: string;
  /** Removes scratch state once the snapshot has been read. */
  dispose: () => Promise<void>;
}

const NOTHING_TO_DISPOSE = async () => {};

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('what the catalog changes in every output: a summary per output and per dataset, then a unified diff')
    .option('--against <dir>', 'compare with a folder (e.g. an older out/)')
    .option('--against-git <ref>', 'compare with the catalog as it was at a git ref (e.g. origin/main), rendered now')
    .addOption(new Option('--target <kind>', 'with neither: which publish target to compare with, when steller.yaml has both').choices(TARGET_KINDS))
    .option('--summary-only', 'leave the unified diff out')
    .option('--exit-code', 'exit 1 when there are differences (like git diff --exit-code)')
    .option('--max-chars <n>', 'with --format markdown: bound on the text (a pull-request comment holds 65,536)', '60000')
    .action(async (_options, command: Command) => {
      const options = command.optsWithGlobals<DiffOptions>();
      if (options.against !== undefined && options.againstGit !== undefined) throw new UsageError('give --against or --against-git, not both');
      const bound = maxChars(options.maxChars);
      const rendered = await renderForCommand(options, 'diff');
      if (!rendered) return;
      const { tree, result } = rendered;
      const previous = await withPublishErrors(() => previousTree(options, result.catalog!.project));
      const diff = await withPublishErrors(() => compareTrees(previous.snapshot, tree, { patch: !options.summaryOnly })).finally(previous.dispose);
      const shown = { against: previous.label, summaryOnly: options.summaryOnly ?? false };
      if (options.format === 'json') {
        process.stdout.write(`${JSON.stringify({ ...asJson(result.report.sorted()), diff: formatJson(diff, shown) }, null, 2)}\n`);
      } else if (options.format === 'markdown') {
        process.stdout.write(formatMarkdown(diff, { ...shown, maxChars: bound }));
      } else {
        process.stdout.write(formatText(diff, shown));
      }
      if (options.exitCode && hasDifferences(diff)) process.exitCode = EXIT_ERRORS;
    });
}

/** What to compare with: a folder, the catalog at a git ref, or the publish target's branch. */
async function previousTree(options: DiffOptions, project: Project): Promise<Previous> {
  const catalogDir = resolve(options.catalog);
  if (options.against !== undefined) {
    const dir = resolve(options.against);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--against: no folder ${options.against} (to compare with a git ref, use --against-git ${options.against})`);
    return { snapshot: snapshotOfDirectory(dir), label: `folder ${options.against}`, dispose: NOTHING_TO_DISPOSE };
  }
  if (options.againstGit !== undefined) {
    const atRef = await renderCatalogAtRef(catalogDir, options.againstGit);
    const label = `the catalog at ${options.againstGit} (${atRef.commit.slice(0, 12)})`;
    if (atRef.tree) return { snapshot: snapshotOfTree(atRef.tree), label, dispose: NOTHING_TO_DISPOSE };
    say(`note: the catalog at ${options.againstGit} has ${atRef.errors} error(s) and renders nothing; everything shows as added`);
    return { snapshot: EMPTY_SNAPSHOT, label: `${label}, which does not build`, dispose: NOTHING_TO_DISPOSE };
  }
  const target = publishTargetFor({ project, catalogDir, ...(options.target ? { kind: options.target } : {}), log: say });
  const dispose = () => target.dispose();
  try {
    const head = await target.readHead();
    return { snapshot: head.snapshot, label: `${target.description} at ${head.commit ? head.commit.slice(0, 12) : 'nothing yet (no such branch)'}`, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

function maxChars(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1000) throw new UsageError(`--max-chars must be a whole number of at least 1000, not "${value}"`);
  return n;
}
