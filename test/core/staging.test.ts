// Staging (core/output.ts) flushes big files it stages to disk in the background. A build may
// stop, or swap the staging folder in whole, before a flush has even opened its file: that must
// not end the process with an unhandled rejection.
import { pbkdf2 } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Staging } from '../../core/output.js';
import { tempDir } from '../helpers/cli.js';

const scratch = tempDir('steller-staging-');
afterAll(() => scratch.cleanup());

describe('Staging', () => {
  it('survives a staging folder removed before its background flushes open their files', async () => {
    const rejections: unknown[] = [];
    const listen = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', listen);
    try {
      // Keep the pool threads busy, so the flush's open runs after the folder is gone.
      const busy = Array.from({ length: 4 }, () => new Promise((done) => pbkdf2('x', 'y', 100_000, 32, 'sha256', done)));
      const staging = new Staging(join(scratch.dir, 'out'));
      staging.write('big.txt', ['x'.repeat(2 << 20)], { replacing: true });
      staging.remove();
      await Promise.all(busy);
      await new Promise((done) => setTimeout(done, 100));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', listen);
    }
  });

  it('still reports a failed flush to whoever waits for it', async () => {
    const busy = Array.from({ length: 4 }, () => new Promise((done) => pbkdf2('x', 'y', 100_000, 32, 'sha256', done)));
    const staging = new Staging(join(scratch.dir, 'out2'));
    staging.write('big.txt', ['x'.repeat(2 << 20)], { replacing: true });
    staging.remove();
    await expect(staging.flushed()).rejects.toThrow(/ENOENT/);
    await Promise.all(busy);
  });
});
