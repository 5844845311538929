// The workplace's shared/ folder (design notes, official schemas, the seed catalog) sits beside
// the repository. Tests that need it skip, with a message, where it is absent; CI always has it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'vitest';
import { REPO } from './cli.js';

export const SHARED = join(REPO, '..', 'shared');
export const HAS_SHARED = existsSync(join(SHARED, 'refs'));

export const describeWithShared: typeof describe = HAS_SHARED
  ? describe
  : (((name: string) => {
      describe.skip(`${name} (skipped: ../shared is absent; these conformance tests need the official schemas in ../shared/refs)`, () => {});
    }) as unknown as typeof describe);
