// The line diff: its edit scripts rebuild the new text, its patches are what `git apply`
// accepts, and where Myers runs its size is git's own minimal diff.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, splitLines, unifiedHunks } from '../../core/diff/lines.js';
import { patchOf } from '../../core/diff/format.js';
import { gitSync } from './helpers/trees.js';

const text = fc.array(fc.constantFrom('a', 'b', 'c', '  </dataset>', '', 'x y'), { maxLength: 30 }).chain((lines) =>
  fc.boolean().map((finalNewline) => lines.join('\n') + (finalNewline && lines.length > 0 ? '\n' : '')));

function rebuild(before: string, after: string): string {
  const [a, b] = [splitLines(before), splitLines(after)];
  const out: string[] = [];
  for (const edit of diffLines(a, b)) {
    if (edit.kind === 'equal') expect(a.lines.slice(edit.aStart, edit.aEnd)).toEqual(b.lines.slice(edit.bStart, edit.bEnd));
    if (edit.kind !== 'delete') out.push(...b.lines.slice(edit.bStart, edit.bEnd));
  }
  return out.join('\n') + (b.finalNewline && out.length > 0 ? '\n' : '');
}

describe('diffLines', () => {
  it('is an edit script from the old text to the new one (property)', () => {
    fc.assert(fc.property(text, text, (before, after) => {
      expect(rebuild(before, after)).toBe(after);
    }), { numRuns: 300 });
  });

  it('stays correct on large texts, where anchors cut the work', () => {
    const before = Array.from({ length: 20_000 }, (_, i) => `<dataset datasetID="d${i}"><title>t</title></dataset>`);
    const after = before.map((line, i) => (i % 997 === 0 ? `${line} changed` : line)).filter((_, i) => i % 1501 !== 0);
    after.splice(5000, 0, ...Array.from({ length: 300 }, (_, i) => `<dataset datasetID="new${i}"/>`));
    const [a, b] = [`${before.join('\n')}\n`, `${after.join('\n')}\n`];
    expect(rebuild(a, b)).toBe(b);
  });
});

describe('unified patches against git', () => {
  it('git apply turns the old files into the new ones, and Myers regions are as small as git --minimal (property)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steller-lines-'));
    try {
      const pairs = fc.sample(fc.tuple(text, text).filter(([a, b]) => a !== b), { numRuns: 150, seed: 20261125 });
      const files = pairs.map(([before, after], i) => ({ path: `f${i}.txt`, status: 'changed' as const, before, after }));
      mkdirSync(join(dir, 'old'));
      mkdirSync(join(dir, 'new'));
      for (const f of files) {
        writeFileSync(join(dir, 'old', f.path), f.before);
        writeFileSync(join(dir, 'new', f.path), f.after);
      }
      // git's own minimal diff of every pair (exit 1 means "they differ"), by file number
      const numstat = new Map<number, number>();
      const stat = spawnSync('git', ['diff', '--no-index', '--minimal', '--numstat', 'old', 'new'], { cwd: dir, encoding: 'utf8' }).stdout;
      for (const line of stat.trim().split('\n')) {
        const [added, removed, path] = line.split('\t');
        numstat.set(Number(/f(\d+)\.txt/.exec(path)![1]), Number(added) + Number(removed));
      }
      writeFileSync(join(dir, 'p.diff'), patchOf(files).text);
      gitSync(['apply', '--whitespace=nowarn', '../p.diff'], { cwd: join(dir, 'old') });
      files.forEach((f, i) => {
        expect(readFileSync(join(dir, 'old', f.path), 'utf8')).toBe(f.after);
        const ours = unifiedHunks(f.before, f.after).counts;
        expect(ours.added + ours.removed).toBe(numstat.get(i));
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('marks a last line without a line break as git does', () => {
    expect(unifiedHunks('a\nb', 'a\nb\n').text).toBe('@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
  });
});
