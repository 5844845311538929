import type { Command } from 'commander';
import { hasChanges } from '../../core/output.js';
import { runBuild } from '../../core/pipeline.js';
import { EXIT_ERRORS, printDiagnostics, say, UsageError, type CommonOptions } from '../common.js';
import { CatalogAccessError } from '../../core/catalog-files.js';

interface BuildOptions extends CommonOptions {
  out: string;
  check?: boolean;
  cache: boolean;
  cacheDir?: string;
}

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('validate, render every output, check it, and write out/ atomically (with steller.lock.json)')
    .option('--out <dir>', 'output folder', 'out')
    .option('--check', 'write nothing; exit 1 if out/ is not what the catalog renders (for CI)')
    .option('--cache-dir <dir>', 'incremental build cache (default .steller-cache)')
    .option('--no-cache', 'render everything from scratch')
    .action(async (_options, command: Command) => {
      const options = command.optsWithGlobals<BuildOptions>();
      const outcome = await buildOrUsageError(options);
      const code = printDiagnostics(outcome, options);
      const text = options.format === 'text';
      if (!outcome.changes || code !== 0) {
        if (text) say('build failed: out/ was left as it was');
        process.exitCode = code || EXIT_ERRORS;
        return;
      }
      const { changes } = outcome;
      if (options.check) {
        if (hasChanges(changes)) {
          for (const path of changes.added) say(`missing: ${path}`);
          for (const path of changes.changed) say(`stale:   ${path}`);
          for (const path of changes.removed) say(`extra:   ${path}`);
          say(`${options.out} is out of date: run \`steller build\` and commit it`);
          process.exitCode = EXIT_ERRORS;
        } else if (text) {
          say(`${options.out} is up to date (${outcome.fileCount} files)`);
        }
        return;
      }
      if (text) {
        say(hasChanges(changes)
          ? `wrote ${options.out}: ${changes.added.length} added, ${changes.changed.length} changed, ${changes.removed.length} removed (${outcome.fileCount} files)`
          : `${options.out} unchanged (${outcome.fileCount} files${outcome.fromRecord ? '; no input changed since the last build' : ''})`);
      }
    });
}

async function buildOrUsageError(options: BuildOptions) {
  try {
    return await runBuild({ catalog: options.catalog, out: options.out, check: options.check ?? false, cacheDir: options.cache ? options.cacheDir : false, strict: options.strict === true });
  } catch (error) {
    if (error instanceof CatalogAccessError) throw new UsageError(error.message);
    throw error;
  }
}
