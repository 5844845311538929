// PLACEHOLDER: replaced by the publish command.
import type { Command } from 'commander';
import { UsageError } from '../common.js';

export function registerPublish(program: Command): void {
  program.command('publish').action(() => { throw new UsageError('not implemented yet'); });
}
