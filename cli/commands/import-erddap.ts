// PLACEHOLDER: replaced by the importer.
import type { Command } from 'commander';
import { UsageError } from '../common.js';

export function registerImportErddap(importCommand: Command): void {
  importCommand.command('erddap').argument('<file>').action(() => { throw new UsageError('not implemented yet'); });
}
