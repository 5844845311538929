// The hashing thread (core/file-hasher.ts) gives what sha256 gives, fails what it cannot read,
// hands back the files it has not started, and after stop() fails what it had not done, without
// an unhandled rejection ending the process.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileHasher } from '../../core/file-hasher.js';
import { sha256 } from '../../core/lock.js';
import { tempDir } from '../helpers/cli.js';

const scratch = tempDir('steller-hasher-');
afterAll(() => scratch.cleanup());

/** A file written already: followed, and at once finished. */
function hashWhole(hasher: FileHasher, file: string): Promise<string> {
  const job = hasher.follow(file);
  job.finished();
  return job.sha256;
}

describe('FileHasher', () => {
  it('hashes files as sha256 does, past its 1 MiB read buffer, and reports a file it cannot read', async () => {
    const hasher = new FileHasher();
    const files = { empty: '', small: 'datasets', big: 'x'.repeat(3 * 2 ** 20 + 17) };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(scratch.dir, name), content);
    try {
      const hashes = await Promise.all(Object.keys(files).map((name) => hashWhole(hasher, join(scratch.dir, name))));
      expect(hashes).toEqual(Object.values(files).map((content) => sha256(content)));
      await expect(hashWhole(hasher, join(scratch.dir, 'missing'))).rejects.toThrow(/ENOENT/);
    } finally {
      hasher.stop();
    }
  });

  it('follows a file as it is written, and fails one whose writing failed', async () => {
    const hasher = new FileHasher();
    const file = join(scratch.dir, 'growing');
    const parts = ['<erddapDatasets>', 'd'.repeat(3 * 2 ** 20 + 5), '\n'.repeat(2 ** 20), '</erddapDatasets>'];
    try {
      writeFileSync(file, '');
      const job = hasher.follow(file);
      let size = 0;
      for (const part of parts) {
        // The worker reads only as far as it is told the file is written.
        appendFileSync(file, part);
        size += Buffer.byteLength(part);
        job.written(size);
        await new Promise((done) => setTimeout(done, 5));
      }
      job.finished();
      expect(await job.sha256).toBe(sha256(parts.join('')));

      const broken = hasher.follow(file);
      broken.written(10);
      broken.failed();
      await expect(broken.sha256).rejects.toThrow(/not written/);
      const untouched = hasher.follow(join(scratch.dir, 'never'));
      untouched.failed();
      await expect(untouched.sha256).rejects.toThrow(/not written|ENOENT/);
    } finally {
      hasher.stop();
    }
  });

  it('hashes here the files the thread has not started, when asked to', async () => {
    const hasher = new FileHasher();
    const contents = ['a', 'b'.repeat(2 ** 20), 'c'.repeat(3 * 2 ** 20)];
    contents.forEach((content, i) => writeFileSync(join(scratch.dir, `queued-${i}`), content));
    try {
      const hashes = contents.map((_, i) => hashWhole(hasher, join(scratch.dir, `queued-${i}`)));
      hasher.takeBack();
      hasher.takeBack();
      expect(await Promise.all(hashes)).toEqual(contents.map((content) => sha256(content)));
      await expect(hashWhole(hasher, join(scratch.dir, 'missing'))).rejects.toThrow(/ENOENT/);
      const missing = hashWhole(hasher, join(scratch.dir, 'missing-too'));
      const queued = hashWhole(hasher, join(scratch.dir, 'missing-as-well'));
      hasher.takeBack();
      await expect(queued).rejects.toThrow(/ENOENT/);
      await expect(missing).rejects.toThrow(/ENOENT/);
    } finally {
      hasher.stop();
    }
  });

  it('fails what it had not done when stopped, and no rejection goes unhandled', async () => {
    const rejections: unknown[] = [];
    const listen = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', listen);
    try {
      const file = join(scratch.dir, 'stopped');
      writeFileSync(file, 'y'.repeat(2 ** 20));
      const hasher = new FileHasher();
      const awaited = hashWhole(hasher, file);
      hashWhole(hasher, file);
      hasher.stop();
      await expect(awaited).rejects.toThrow(/stopped/);
      await new Promise((done) => setTimeout(done, 50));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', listen);
    }
  });
});
