// core/sorted-lines.ts: a patch build looks up a few claimed names among 25,000 by bisecting.
import { describe, expect, it } from 'vitest';
import { SortedLines, sortedLinesOf } from '../../core/sorted-lines.js';

describe('SortedLines', () => {
  it('finds every key, and no other, among keys with NULs, quotes, escapes and non-ASCII', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = ['a', 'B', 'z', '0', '_', '\0', '"', '\\', 'é', '水', '\n', ' '];
    const key = () => Array.from({ length: 1 + Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const map = new Map<string, string>();
    for (let i = 0; i < 2000; i++) map.set(`${key()}\0${key()}`, `datasets/${i}.yaml`);
    const lines = new SortedLines(Buffer.from(sortedLinesOf(map), 'utf8'));
    for (const [name, file] of map) expect(lines.get(name)).toBe(file);
    for (let i = 0; i < 2000; i++) {
      const absent = `${key()}\0${key()}`;
      expect(lines.get(absent)).toBe(map.get(absent));
    }
  });

  it('answers nothing from no lines, and finds the one of one', () => {
    expect(new SortedLines(Buffer.alloc(0)).get('x')).toBeUndefined();
    const one = new SortedLines(Buffer.from(sortedLinesOf([['x', 1]])));
    expect(one.get('x')).toBe(1);
    expect(one.get('w')).toBeUndefined();
    expect(one.get('y')).toBeUndefined();
  });
});
