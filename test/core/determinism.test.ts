// The same catalog renders to byte-identical files whatever the order files were written in,
// the time zone or the locale.
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CATALOG, runCli, tempDir } from '../helpers/cli.js';

const scratch = tempDir('steller-determinism-');
afterAll(() => scratch.cleanup());

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Copies a catalog writing its files in the given order (directory order follows on some file systems). */
function copyInOrder(from: string, to: string, order: (files: string[]) => string[]): void {
  for (const file of order(listFiles(from).map((f) => relative(from, f)))) {
    mkdirSync(join(to, file, '..'), { recursive: true });
    writeFileSync(join(to, file), readFileSync(join(from, file)));
  }
}

function snapshot(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [relative(dir, f), readFileSync(f, 'utf8')]));
}

describe('deterministic output', () => {
  it('same bytes for shuffled file order, another time zone and locale', () => {
    const a = join(scratch.dir, 'a');
    const b = join(scratch.dir, 'b');
    cpSync(EXAMPLE_CATALOG, a, { recursive: true });
    copyInOrder(EXAMPLE_CATALOG, b, (files) => files.sort().reverse());
    const first = runCli(['build', '--catalog', a, '--out', join(scratch.dir, 'out-a')], { env: { TZ: 'UTC', LC_ALL: 'C' } });
    const second = runCli(['build', '--catalog', b, '--out', join(scratch.dir, 'out-b')], { env: { TZ: 'Pacific/Chatham', LC_ALL: 'tr_TR.UTF-8', LANG: 'tr_TR.UTF-8' } });
    expect(first.status, first.stderr).toBe(0);
    expect(second.status, second.stderr).toBe(0);
    const outA = snapshot(join(scratch.dir, 'out-a'));
    const outB = snapshot(join(scratch.dir, 'out-b'));
    expect([...outB.keys()]).toEqual([...outA.keys()]);
    for (const [path, content] of outA) expect(outB.get(path), path).toBe(content);
  });

  it('a second build writes nothing', () => {
    const out = join(scratch.dir, 'out-a');
    const result = runCli(['build', '--catalog', join(scratch.dir, 'a'), '--out', out]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/unchanged/);
  });
});
