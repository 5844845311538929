// The steller command line: thin commands over the library in core/ and generators/.
import { Command, CommanderError, Option } from 'commander';
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

// Each command's module (and the libraries behind it: octokit, XML parsers, cdk8s) loads only
// when that command runs; `steller --help` loads them all to list them.
type Register = (program: Command) => void;
const COMMANDS: Record<string, () => Promise<Register>> = {
  validate: async () => (await import('./commands/validate.js')).registerValidate,
  build: async () => (await import('./commands/build.js')).registerBuild,
  schema: async () => (await import('./commands/schema.js')).registerSchema,
  new: async () => (await import('./commands/new.js')).registerNew,
  diff: async () => (await import('./commands/diff.js')).registerDiff,
  publish: async () => (await import('./commands/publish.js')).registerPublish,
  import: async () => (await import('./commands/import.js')).registerImport,
};

// `steller schema | head` closes the pipe early: the reader has what it wanted, so no stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

const invoked = process.argv.slice(2).find((arg) => Object.hasOwn(COMMANDS, arg));
for (const name of invoked ? [invoked] : Object.keys(COMMANDS)) (await COMMANDS[name]())(program);

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
