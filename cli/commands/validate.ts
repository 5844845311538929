import type { Command } from 'commander';
import { loadForCommand, printDiagnostics, say, type CommonOptions } from '../common.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('load and check the catalog; exit 0 clean, 1 errors, 2 usage or I/O error')
    .action(async (_options, command: Command) => {
      const options = command.optsWithGlobals<CommonOptions>();
      const result = await loadForCommand(options);
      const code = printDiagnostics(result, options);
      if (options.format === 'text' && result.catalog) say(`catalog ok: ${result.catalog.datasets.length} datasets`);
      process.exitCode = code;
    });
}
