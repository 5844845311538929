import { resolve } from 'node:path';
import type { Command } from 'commander';
import { renderCatalog } from '../../core/build.js';
import { compareWithDir, hasChanges, writeTree } from '../../core/output.js';
import { EXIT_ERRORS, loadForCommand, printDiagnostics, say, type CommonOptions } from '../common.js';

interface BuildOptions extends CommonOptions {
  out: string;
  check?: boolean;
}

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('validate, render every output, check it, and write out/ atomically (with steller.lock.json)')
    .option('--out <dir>', 'output folder', 'out')
    .option('--check', 'write nothing; exit 1 if out/ is not what the catalog renders (for CI)')
    .action((_options, command: Command) => {
      const options = command.optsWithGlobals<BuildOptions>();
      const result = loadForCommand(options);
      const tree = result.catalog ? renderCatalog(result.catalog, result.report) : undefined;
      const code = printDiagnostics(result, options);
      if (!tree || code !== 0) {
        if (options.format === 'text') say('build failed: out/ was left as it was');
        process.exitCode = code || EXIT_ERRORS;
        return;
      }
      const out = resolve(options.out);
      if (options.check) {
        const changes = compareWithDir(out, tree);
        if (hasChanges(changes)) {
          for (const path of changes.added) say(`missing: ${path}`);
          for (const path of changes.changed) say(`stale:   ${path}`);
          for (const path of changes.removed) say(`extra:   ${path}`);
          say(`${options.out} is out of date: run \`steller build\` and commit it`);
          process.exitCode = EXIT_ERRORS;
        } else if (options.format === 'text') {
          say(`${options.out} is up to date (${tree.size} files)`);
        }
        return;
      }
      const changes = writeTree(out, tree);
      if (options.format === 'text') {
        say(hasChanges(changes)
          ? `wrote ${options.out}: ${changes.added.length} added, ${changes.changed.length} changed, ${changes.removed.length} removed (${tree.size} files)`
          : `${options.out} unchanged (${tree.size} files)`);
      }
    });
}
