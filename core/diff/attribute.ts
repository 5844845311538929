// Which datasets a change to a shared file (datasets.xml, a THREDDS catalog, data.json) belongs
// to. The lock file says which datasets produced the file, not which lines; but every generator
// writes each dataset as one block that names its id near the top, so a line belongs to the last
// dataset named at or above it. Lines above the first block (headers, server settings) belong to
// none: a change there is reported for the file, not pinned on a dataset.
import { diffLines, splitLines } from './lines.js';

export interface Attribution {
  datasets: Set<string>;
  /** A changed line belongs to no dataset (a header, a shared setting). */
  unattributed: boolean;
}

export function attributeChange(before: string, after: string, datasetIds: Iterable<string>): Attribution {
  const tokens = idTokens(datasetIds);
  const [a, b] = [splitLines(before), splitLines(after)];
  const ownersA = lineOwners(a.lines, tokens);
  const ownersB = lineOwners(b.lines, tokens);
  const result: Attribution = { datasets: new Set(), unattributed: false };
  const take = (owner: string | undefined) => (owner === undefined ? (result.unattributed = true) : result.datasets.add(owner));
  for (const edit of diffLines(a, b)) {
    if (edit.kind === 'equal') continue;
    for (let i = edit.aStart; i < edit.aEnd; i++) take(ownersA[i]);
    for (let j = edit.bStart; j < edit.bEnd; j++) take(ownersB[j]);
  }
  return result;
}

// A dataset shows up under its catalog id or, in ERDDAP, as a datasetID with every character
// outside [A-Za-z0-9_] replaced by "_" (how steller derives one). A variant two ids share is dropped.
function idTokens(ids: Iterable<string>): Map<string, string> {
  const tokens = new Map<string, string>();
  const variants = new Map<string, string | null>();
  for (const id of ids) {
    tokens.set(id, id);
    const variant = id.replace(/[^A-Za-z0-9_]/g, '_');
    if (variant !== id) variants.set(variant, variants.has(variant) ? null : id);
  }
  for (const [variant, id] of variants) if (id !== null && !tokens.has(variant)) tokens.set(variant, id);
  return tokens;
}

function lineOwners(lines: readonly string[], tokens: ReadonlyMap<string, string>): (string | undefined)[] {
  let current: string | undefined;
  return lines.map((line) => {
    const named = firstNamedDataset(line, tokens);
    if (named !== undefined) current = named;
    return current;
  });
}

// A word of id characters matches as is, or without its extensions (PORTS_CC_realtime.xml).
function firstNamedDataset(line: string, tokens: ReadonlyMap<string, string>): string | undefined {
  for (const match of line.matchAll(/[A-Za-z0-9_.-]+/g)) {
    let word = match[0];
    for (;;) {
      const id = tokens.get(word);
      if (id !== undefined) return id;
      const dot = word.lastIndexOf('.');
      if (dot <= 0) break;
      word = word.slice(0, dot);
    }
  }
  return undefined;
}
