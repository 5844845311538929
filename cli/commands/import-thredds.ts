// PLACEHOLDER: replaced by the importer.
import type { Command } from 'commander';
import { UsageError } from '../common.js';

export function registerImportThredds(importCommand: Command): void {
  importCommand.command('thredds').argument('<file>').action(() => { throw new UsageError('not implemented yet'); });
}
