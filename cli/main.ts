// The steller command line: thin commands over the library in core/ and generators/.
import { Command, CommanderError, Option } from 'commander';
import { registerBuild } from './commands/build.js';
import { registerDiff } from './commands/diff.js';
import { registerImport } from './commands/import.js';
import { registerNew } from './commands/new.js';
import { registerPublish } from './commands/publish.js';
import { registerSchema } from './commands/schema.js';
import { registerValidate } from './commands/validate.js';
import { EXIT_USAGE, parseFormat, UsageError } from './common.js';
import { FORMATS } from './report.js';

const program = new Command('steller')
  .description('Compile a dataset-metadata catalog into ERDDAP, THREDDS, CKAN, ioos_qc and Kubernetes configs')
  .version('0.1.0')
  .option('--catalog <dir>', 'catalog folder (steller.yaml and datasets/)', 'catalog')
  .addOption(new Option('--format <format>', 'diagnostics format').choices(FORMATS).default('text').argParser(parseFormat))
  .option('--strict', 'warnings fail too')
  .showHelpAfterError()
  .exitOverride();

registerValidate(program);
registerBuild(program);
registerSchema(program);
registerNew(program);
registerDiff(program);
registerPublish(program);
registerImport(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
  if (error instanceof UsageError) {
    process.stderr.write(`steller: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`steller: internal error: ${message}\n`);
  if (process.env.STELLER_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('(set STELLER_DEBUG=1 for details, and please report it)\n');
  return EXIT_USAGE;
}
