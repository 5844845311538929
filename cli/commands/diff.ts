// PLACEHOLDER: replaced by the diff command.
import type { Command } from 'commander';
import { UsageError } from '../common.js';

export function registerDiff(program: Command): void {
  program.command('diff').action(() => { throw new UsageError('not implemented yet'); });
}
