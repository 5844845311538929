// Unchanged catalog files are known by their stamps and not read; any edit is still seen.
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCatalogFiles } from '../../core/catalog-files.js';
import { readStamps, saveStamps } from '../../core/file-stamps.js';
import { copyExampleCatalog, tempDir } from '../helpers/cli.js';

const scratch = tempDir('steller-stamps-');
afterAll(() => scratch.cleanup());
const catalog = copyExampleCatalog(scratch.dir);
const file = 'datasets/buoys/B01_met.yaml';

/** Files modified within 2 s of the stamps are read again (they may change within one clock tick). */
const pastTheRacyWindow = () => new Promise((done) => setTimeout(done, 2100));

describe('file stamps', () => {
  it('read every file the first time, none when nothing changed, and within the racy window all again', async () => {
    const first = readCatalogFiles(catalog);
    expect(first.filesRead).toBe(first.datasets.size);
    expect(readCatalogFiles(catalog, first.stamps).filesRead).toBe(first.datasets.size);
    await pastTheRacyWindow();
    const stamps = readCatalogFiles(catalog, first.stamps).stamps;
    await pastTheRacyWindow();
    const again = readCatalogFiles(catalog, stamps);
    expect(again.filesRead).toBe(0);
    expect(again.inputsHash).toBe(first.inputsHash);
    expect(new TextDecoder().decode(again.datasets.get(file)?.bytes())).toBe(readFileSync(join(catalog, file), 'utf8'));
  });

  it('see an edit that keeps the size and puts the mtime back', async () => {
    const before = readCatalogFiles(catalog);
    await pastTheRacyWindow();
    const stamps = readCatalogFiles(catalog, before.stamps).stamps;
    const path = join(catalog, file);
    const { atime, mtime } = statSync(path);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('title: NERACOOS Buoy B01', 'title: NERACOOS Buoy B02'));
    utimesSync(path, atime, mtime);
    const after = readCatalogFiles(catalog, stamps);
    expect(after.filesRead).toBe(1);
    expect(after.datasets.get(file)?.hash).not.toBe(before.datasets.get(file)?.hash);
    expect(after.inputsHash).not.toBe(before.inputsHash);
  });

  it('are saved again only after a build that read more than a few files', () => {
    const { stamps } = readCatalogFiles(catalog);
    const dir = join(scratch.dir, 'stamps');
    saveStamps(dir, stamps, 1);
    expect(readStamps(dir)).toBeUndefined();
    saveStamps(dir, stamps, 65);
    expect(readStamps(dir)).toEqual(stamps);
    // After a one-file edit the record stays as it was: the next build reads that file again.
    saveStamps(dir, { ...stamps, takenAt: stamps.takenAt + 1 }, 1);
    expect(readStamps(dir)?.takenAt).toBe(stamps.takenAt);
  });
});
