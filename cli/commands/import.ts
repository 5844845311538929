import type { Command } from 'commander';
import { registerImportErddap } from './import-erddap.js';
import { registerImportThredds } from './import-thredds.js';

export function registerImport(program: Command): void {
  const importCommand = program
    .command('import')
    .description('turn an existing server configuration into catalog YAML (the migration path from hand-kept servers)');
  registerImportErddap(importCommand);
  registerImportThredds(importCommand);
}
