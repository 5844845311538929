// Staging (core/output.ts) flushes big files it stages to disk in the background. A build may
// stop, or swap the staging folder in whole, before a flush is done, and the flush then fails
// (its file is gone): that must not end the process, yet whoever waits for the flushes before
// moving files into out/ must hear of it. Whether the real flush's open loses the race to the
// folder's removal depends on thread timing, so these tests give Staging a flush that fails.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Staging } from '../../core/output.js';
import { tempDir } from '../helpers/cli.js';

const scratch = tempDir('steller-staging-');
afterAll(() => scratch.cleanup());

const BIG = 'x'.repeat(2 << 20);
const gone = (file: string) => new Promise<void>((_, fail) => setTimeout(() => fail(new Error(`ENOENT: ${file}`)), 10));

describe('Staging', () => {
  it('survives a background flush that fails after the build stopped waiting', async () => {
    const rejections: unknown[] = [];
    const listen = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', listen);
    try {
      const staging = new Staging(join(scratch.dir, 'out'), gone);
      staging.write('big.txt', [BIG], { replacing: true });
      staging.remove();
      await new Promise((done) => setTimeout(done, 100));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', listen);
    }
  });

  it('still reports a failed flush to whoever waits for it', async () => {
    const staging = new Staging(join(scratch.dir, 'out2'), gone);
    staging.write('big.txt', [BIG], { replacing: true });
    await expect(staging.flushed()).rejects.toThrow(/ENOENT/);
    staging.remove();
  });

  it('flushes big replacing files, and only those, with the real flush', async () => {
    const flushed: string[] = [];
    const staging = new Staging(join(scratch.dir, 'out3'));
    const spy = new Staging(join(scratch.dir, 'out4'), async (file) => void flushed.push(file));
    for (const target of [staging, spy]) {
      target.write('big.txt', [BIG], { replacing: true });
      target.write('new-big.txt', [BIG]);
      target.write('small.txt', ['x'], { replacing: true });
    }
    await staging.flushed();
    expect(readFileSync(join(staging.root, 'big.txt'), 'utf8')).toBe(BIG);
    expect(flushed).toEqual([join(spy.root, 'big.txt')]);
    staging.remove();
    spy.remove();
    expect(existsSync(staging.root)).toBe(false);
  });
});
