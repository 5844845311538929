import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DATASETS_DIR } from '../../core/load.js';
import { scaffoldDataset } from '../../core/scaffold.js';
import { DATASET_ID } from '../../schemas/model.js';
import { EXIT_ERRORS, loadForCommand, printDiagnostics, say, UsageError, type CommonOptions } from '../common.js';

export function registerNew(program: Command): void {
  program
    .command('new')
    .description('scaffold a new catalog entry')
    .command('dataset')
    .argument('<id>', 'dataset id: letters, digits, _ . -')
    .option('--dir <folder>', 'folder under datasets/ to put it in', '')
    .description('write datasets/[DIR/]ID.yaml from the catalog\'s servers and defaults')
    .action(async (id: string, options: { dir: string }, command: Command) => {
      const common = command.optsWithGlobals<CommonOptions>();
      if (!DATASET_ID.test(id)) throw new UsageError(`"${id}" is not a valid dataset id (letters, digits, _ . -; no / or ..)`);
      if (options.dir.split('/').some((s) => s === '..' || s.startsWith('.'))) throw new UsageError('--dir must stay inside datasets/');
      const result = await loadForCommand(common);
      if (!result.catalog) {
        process.exitCode = printDiagnostics(result, common) || EXIT_ERRORS;
        return;
      }
      const folder = join(resolve(common.catalog), DATASETS_DIR, options.dir);
      const file = join(folder, `${id}.yaml`);
      if (existsSync(file)) throw new UsageError(`${file} already exists`);
      if (result.catalog.datasets.some((d) => d.id.toLowerCase() === id.toLowerCase())) throw new UsageError(`dataset id "${id}" is already used`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(file, scaffoldDataset(id, result.catalog.project));
      say(`wrote ${file}; fill in the TODOs, then run \`steller validate\``);
    });
}
