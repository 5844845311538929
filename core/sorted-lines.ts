// A map kept as text, one `["<key>",<value>]` JSON line per entry, sorted by key: a reader looks
// up a few keys by bisecting the bytes, without parsing the rest (the trace's 25,000 claimed names
// at 10,000 datasets, of which a patch build asks about a handful).
import { compareStrings } from './diagnostics.js';

const NEWLINE = 0x0a;

export function sortedLinesOf(entries: Iterable<readonly [string, unknown]>): string {
  return [...entries].sort(([a], [b]) => compareStrings(a, b)).map((entry) => `${JSON.stringify(entry)}\n`).join('');
}

export class SortedLines {
  constructor(private readonly bytes: Buffer) {}

  get(key: string): unknown {
    let low = 0;
    let high = this.bytes.length;
    while (low < high) {
      // The line that holds the middle byte, or starts right after it.
      const middle = (low + high) >>> 1;
      const start = middle === 0 ? 0 : this.bytes.lastIndexOf(NEWLINE, middle - 1) + 1;
      const end = this.bytes.indexOf(NEWLINE, start);
      const [lineKey, value] = JSON.parse(this.bytes.toString('utf8', start, end < 0 ? this.bytes.length : end)) as [string, unknown];
      const order = compareStrings(lineKey, key);
      if (order === 0) return value;
      if (order < 0) low = end < 0 ? this.bytes.length : end + 1;
      else high = start;
    }
    return undefined;
  }
}
