// A build that reuses the cache must give exactly what a cold build gives, after any change.
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTree } from '../../core/output.js';
import { copyExampleCatalog, runCli, tempDir } from '../helpers/cli.js';

const scratch = tempDir('steller-incremental-');
afterAll(() => scratch.cleanup());
const catalog = copyExampleCatalog(scratch.dir);
const cacheDir = join(scratch.dir, 'cache');
const warm = join(scratch.dir, 'out-warm');
const cold = join(scratch.dir, 'out-cold');

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readTree(dir));
}

function buildBoth() {
  const incremental = runCli(['build', '--catalog', catalog, '--out', warm, '--cache-dir', cacheDir, '--format', 'json']);
  rmSync(cold, { recursive: true, force: true });
  const scratchBuild = runCli(['build', '--catalog', catalog, '--out', cold, '--no-cache', '--format', 'json']);
  expect(incremental.status, incremental.stderr).toBe(scratchBuild.status);
  expect(JSON.parse(incremental.stdout)).toEqual(JSON.parse(scratchBuild.stdout));
  if (scratchBuild.status === 0) expect(snapshot(warm)).toEqual(snapshot(cold));
  return incremental;
}

describe('incremental builds', () => {
  it('first build, then a no-op answered from the record', () => {
    buildBoth();
    const again = runCli(['build', '--catalog', catalog, '--out', warm, '--cache-dir', cacheDir]);
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/no input changed/);
  });

  it('after a change to one dataset, only its files change, and they equal a cold build', () => {
    const before = snapshot(warm);
    const file = join(catalog, 'datasets/buoys/B01_met.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: NERACOOS Buoy B01', 'title: NERACOOS Buoy B01 (renamed)'));
    buildBoth();
    const after = snapshot(warm);
    const changed = Object.keys(after).filter((path) => after[path] !== before[path]);
    expect(changed.length).toBeGreaterThan(0);
    const lock = JSON.parse(after['steller.lock.json']) as { files: Record<string, { datasets: string[] }> };
    for (const path of changed) if (path !== 'steller.lock.json') expect(lock.files[path].datasets, path).toContain('B01_met');
  });

  it('after removing a dataset, its files are gone', () => {
    rmSync(join(catalog, 'datasets/buoys/B01_met.yaml'));
    buildBoth();
    const lock = JSON.parse(readFileSync(join(warm, 'steller.lock.json'), 'utf8')) as { files: Record<string, { datasets: string[] }> };
    expect(Object.values(lock.files).some((f) => f.datasets.includes('B01_met'))).toBe(false);
  });

  it('after changing steller.yaml and a template', () => {
    appendFileSync(join(catalog, 'steller.yaml'), '# a comment changes the bytes\n');
    writeFileSync(join(catalog, 'steller.yaml'), readFileSync(join(catalog, 'steller.yaml'), 'utf8').replace('institution: NERACOOS', 'institution: NERACOOS (test)'));
    buildBoth();
    const template = join(catalog, 'datasets/erddap.xml.jinja');
    writeFileSync(template, readFileSync(template, 'utf8').replace('<reloadEveryNMinutes>10</reloadEveryNMinutes>', '<reloadEveryNMinutes>15</reloadEveryNMinutes>'));
    buildBoth();
  });

  it('a broken file fails the same way warm and cold, and a fix recovers', () => {
    const file = join(catalog, 'datasets/buoys/A01_met.yaml');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('schedule: "H * * * *"', 'schedule: "H * * *"'));
    expect(buildBoth().status).toBe(1);
    writeFileSync(file, good);
    expect(buildBoth().status).toBe(0);
  });

  it('a file deleted from out/ is written again, and a changed lock makes every file be checked', () => {
    buildBoth();
    const lock = JSON.parse(readFileSync(join(warm, 'steller.lock.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
    const [aggregate, single] = ['erddap/data/datasets.xml', 'qc/A01_met.yaml'];
    rmSync(join(warm, single));
    const restored = runCli(['build', '--catalog', catalog, '--out', warm, '--cache-dir', cacheDir]);
    expect(restored.status, restored.stderr).toBe(0);
    expect(readFileSync(join(warm, single), 'utf8')).toBe(readFileSync(join(cold, single), 'utf8'));
    // A hand-edited file whose lock entry was edited to match is caught: the lock no longer
    // matches the build's record, so nothing is taken on trust.
    writeFileSync(join(warm, aggregate), 'not what steller wrote');
    lock.files[aggregate].sha256 = '0'.repeat(64);
    writeFileSync(join(warm, 'steller.lock.json'), JSON.stringify(lock, null, 2));
    const repaired = runCli(['build', '--catalog', catalog, '--out', warm, '--cache-dir', cacheDir]);
    expect(repaired.status, repaired.stderr).toBe(0);
    expect(snapshot(warm)).toEqual(snapshot(cold));
  });

  it('a cache held by a live build is left alone (this build renders from scratch); one left by a dead build is taken over', () => {
    const [folder] = readdirSync(cacheDir);
    const lock = join(cacheDir, folder, 'lock');
    writeFileSync(lock, String(process.pid));
    const file = join(catalog, 'datasets/buoys/A01_met.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: (.*)$/m, 'title: $1 (held)'));
    buildBoth();
    expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
    writeFileSync(lock, '999999999');
    const again = runCli(['build', '--catalog', catalog, '--out', warm, '--cache-dir', cacheDir]);
    expect(again.status, again.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });
});
