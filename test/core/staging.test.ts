// Staging (core/staging.ts) flushes big files it stages to disk in the background. A build may
// stop, or swap the staging folder in whole, before a flush is done, and the flush then fails
// (its file is gone): that must not end the process, yet whoever waits for the flushes before
// moving files into out/ must hear of it. Whether the real flush's open loses the race to the
// folder's removal depends on thread timing, so these tests give Staging a flush that fails.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../core/lock.js';
import { writeTree } from '../../core/output.js';
import type { OutputFile } from '../../generators/types.js';
import { SpareFiles, Staging } from '../../core/staging.js';
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
      const staging = new Staging(join(scratch.dir, 'out'), { flush: gone });
      staging.write('big.txt', [BIG], { replacing: true });
      staging.remove();
      await new Promise((done) => setTimeout(done, 100));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', listen);
    }
  });

  it('still reports a failed flush to whoever waits for it', async () => {
    const staging = new Staging(join(scratch.dir, 'out2'), { flush: gone });
    staging.write('big.txt', [BIG], { replacing: true });
    await expect(staging.flushed()).rejects.toThrow(/ENOENT/);
    staging.remove();
  });

  it('flushes big replacing files, and only those, with the real flush', async () => {
    const flushed: string[] = [];
    const staging = new Staging(join(scratch.dir, 'out3'));
    const spy = new Staging(join(scratch.dir, 'out4'), { flush: async (file) => void flushed.push(file) });
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

describe('SpareFiles', () => {
  const setUp = (name: string) => {
    const root = join(scratch.dir, name);
    const out = join(root, 'out');
    mkdirSync(join(out, 'erddap'), { recursive: true });
    const spares = SpareFiles.inCache(join(root, 'cache'), out) as SpareFiles;
    expect(spares).toBeDefined();
    return { out, spares, spareOf: (path: string) => join(root, 'cache', 'spare', path) };
  };
  const replace = async (out: string, spares: SpareFiles, path: string, content: string) => {
    const staging = new Staging(out, { spares });
    const staged = staging.write(path, [content], { replacing: true });
    // One that replaces a big file is hashed on the hashing thread.
    if (statSync(join(out, path)).size >= 2 ** 20) expect(staged.sha256).toBeInstanceOf(Promise);
    expect({ size: staged.size, sha256: await staged.sha256 }).toEqual({ size: Buffer.byteLength(content), sha256: sha256(content) });
    await staging.flushed();
    staging.moveTo(join(out, path), path);
    staging.remove();
  };

  it('keeps the big file a build replaced until the next build writes its successor', async () => {
    const { out, spares, spareOf } = setUp('spares');
    const path = 'erddap/datasets.xml';
    writeFileSync(join(out, path), BIG);
    await replace(out, spares, path, `${BIG}v2`);
    expect(readFileSync(join(out, path), 'utf8')).toBe(`${BIG}v2`);
    expect(readFileSync(spareOf(path), 'utf8')).toBe(BIG);

    await replace(out, spares, path, 'v3');
    expect(readFileSync(join(out, path), 'utf8')).toBe('v3');
    expect(readFileSync(spareOf(path), 'utf8')).toBe(`${BIG}v2`);

    // A small file replaced is not kept, and the spare goes when the next version is written.
    await replace(out, spares, path, 'v4');
    expect(readFileSync(join(out, path), 'utf8')).toBe('v4');
    expect(existsSync(spareOf(path))).toBe(false);
    expect(readdirSync(join(out, 'erddap'))).toEqual(['datasets.xml']);
  });

  it('never changes a file a reader opened, however many builds replace it', async () => {
    const { out, spares } = setUp('reader');
    const path = 'erddap/datasets.xml';
    writeFileSync(join(out, path), BIG);
    const reader = openSync(join(out, path), 'r');
    try {
      for (const version of ['v2', 'v3', 'v4']) await replace(out, spares, path, `${version}${BIG}`);
      const bytes = Buffer.alloc(BIG.length + 1);
      expect(readSync(reader, bytes, 0, bytes.length, 0)).toBe(BIG.length);
      expect(bytes.subarray(0, BIG.length).toString('utf8')).toBe(BIG);
    } finally {
      closeSync(reader);
    }
  });

  it('a whole build that swaps out/ in whole keeps the big files it replaced, and forgets those of files gone', async () => {
    const { out, spares, spareOf } = setUp('swapped');
    const tree = (version: string, extra: string[]) => new Map<string, OutputFile>(
      ['erddap/datasets.xml', ...Array.from({ length: 300 }, (_, i) => `qc/${i}.yaml`), ...extra].map((path) => [path, { path, content: path.endsWith('.xml') ? `${version}${BIG}` : version, datasets: [] }]),
    );
    await writeTree(out, tree('v1', ['ckan/data.json']), { spares });
    await writeTree(out, tree('v2', []), { spares });
    expect(readFileSync(join(out, 'erddap/datasets.xml'), 'utf8')).toBe(`v2${BIG}`);
    expect(readFileSync(spareOf('erddap/datasets.xml'), 'utf8')).toBe(`v1${BIG}`);
    expect(existsSync(join(out, 'ckan'))).toBe(false);
    expect(readdirSync(join(out, '..')).filter((entry) => entry.startsWith('.out.'))).toEqual([]);
  });

  it('forgets spares of files out/ no longer has', async () => {
    const { out, spares, spareOf } = setUp('pruned');
    for (const path of ['erddap/a.xml', 'erddap/b.xml']) {
      writeFileSync(join(out, path), BIG);
      await replace(out, spares, path, 'x');
    }
    spares.prune(new Set(['erddap/a.xml']));
    expect(existsSync(spareOf('erddap/a.xml'))).toBe(true);
    expect(existsSync(spareOf('erddap/b.xml'))).toBe(false);
  });
});
