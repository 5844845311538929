// A line diff and its unified-diff rendering, with no dependency: Myers' O(ND) algorithm on
// small regions, patience anchors (lines unique on both sides) to cut large files into small
// regions first. The result is always a correct edit script; it is minimal where Myers runs.

export type EditKind = 'equal' | 'delete' | 'insert';

/** A run of lines: [aStart, aEnd) of the old text against [bStart, bEnd) of the new one. */
export interface Edit {
  kind: EditKind;
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

export interface SplitText {
  lines: string[];
  /** False when the text is non-empty and its last line has no line break. */
  finalNewline: boolean;
}

export function splitLines(text: string): SplitText {
  if (text === '') return { lines: [], finalNewline: true };
  const lines = text.split('\n');
  const finalNewline = lines[lines.length - 1] === '';
  if (finalNewline) lines.pop();
  return { lines, finalNewline };
}

// Beyond this many Myers steps a region is cut by anchors or shown as replaced outright,
// so a 450,000-line datasets.xml cannot stall a pull-request check.
const MYERS_STEP_BUDGET = 4_000_000;

/** The edit script turning `before` into `after`, as runs in order. */
export function diffLines(before: SplitText, after: SplitText): Edit[] {
  const ids = new Map<string, number>();
  const a = toIds(before, ids);
  const b = toIds(after, ids);
  const edits: Edit[] = [];
  diffRange(a, 0, a.length, b, 0, b.length, edits);
  return slideChanges(mergeRuns(edits), a, b);
}

// Lines become integers so comparisons are cheap; a last line without a line break gets its
// own id, so "x" and "x\n" differ as they do for diff(1).
function toIds(text: SplitText, ids: Map<string, number>): Int32Array {
  const out = new Int32Array(text.lines.length);
  text.lines.forEach((line, i) => {
    const key = !text.finalNewline && i === text.lines.length - 1 ? `${line}\u0000` : line;
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    out[i] = id;
  });
  return out;
}

function push(edits: Edit[], kind: EditKind, aStart: number, aEnd: number, bStart: number, bEnd: number): void {
  if (aEnd > aStart || bEnd > bStart) edits.push({ kind, aStart, aEnd, bStart, bEnd });
}

function diffRange(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number, edits: Edit[]): void {
  let prefix = 0;
  while (aLo + prefix < aHi && bLo + prefix < bHi && a[aLo + prefix] === b[bLo + prefix]) prefix++;
  let suffix = 0;
  while (aHi - suffix > aLo + prefix && bHi - suffix > bLo + prefix && a[aHi - suffix - 1] === b[bHi - suffix - 1]) suffix++;
  push(edits, 'equal', aLo, aLo + prefix, bLo, bLo + prefix);
  const [as, ae, bs, be] = [aLo + prefix, aHi - suffix, bLo + prefix, bHi - suffix];
  if (as === ae || bs === be) {
    push(edits, 'delete', as, ae, bs, bs);
    push(edits, 'insert', ae, ae, bs, be);
  } else if (!myers(a, as, ae, b, bs, be, edits)) {
    const anchors = patienceAnchors(a, as, ae, b, bs, be);
    if (anchors.length === 0) {
      push(edits, 'delete', as, ae, bs, bs);
      push(edits, 'insert', ae, ae, bs, be);
    } else {
      let [i, j] = [as, bs];
      for (const [ai, bj] of anchors) {
        diffRange(a, i, ai, b, j, bj, edits);
        push(edits, 'equal', ai, ai + 1, bj, bj + 1);
        [i, j] = [ai + 1, bj + 1];
      }
      diffRange(a, i, ae, b, j, be, edits);
    }
  }
  push(edits, 'equal', aHi - suffix, aHi, bHi - suffix, bHi);
}

/**
 * Myers' greedy forward search with a saved trace for the backtrack. Returns false, having
 * added nothing, when the region needs more steps than the budget allows.
 */
function myers(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number, edits: Edit[]): boolean {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const maxD = Math.min(n + m, Math.floor(Math.sqrt(MYERS_STEP_BUDGET)), Math.floor(MYERS_STEP_BUDGET / (n + m)));
  const offset = maxD + 1;
  const v = new Int32Array(2 * offset + 1);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= maxD; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        backtrack(trace, d, n, m, (kind, x0, x1, y0, y1) => push(edits, kind, aLo + x0, aLo + x1, bLo + y0, bLo + y1));
        return true;
      }
    }
  }
  return false;
}

type Emit = (kind: EditKind, x0: number, x1: number, y0: number, y1: number) => void;

function backtrack(trace: Int32Array[], dEnd: number, n: number, m: number, emit: Emit): void {
  const steps: [EditKind, number, number, number, number][] = [];
  let [x, y] = [n, m];
  for (let d = dEnd; d > 0; d--) {
    const saved = trace[d]; // v as it was before step d, indexed k + d
    const at = (k: number) => saved[k + d];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    const startX = down ? prevX : prevX + 1;
    const startY = startX - k;
    steps.push(['equal', startX, x, startY, y]);
    steps.push(down ? ['insert', prevX, prevX, prevY, startY] : ['delete', prevX, startX, prevY, prevY]);
    [x, y] = [prevX, prevY];
  }
  steps.push(['equal', 0, x, 0, y]);
  for (let i = steps.length - 1; i >= 0; i--) emit(...steps[i]);
}

/** Pairs of positions of lines that occur exactly once on each side, longest increasing chain. */
function patienceAnchors(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number): [number, number][] {
  const count = new Map<number, { inA: number; inB: number; posA: number; posB: number }>();
  for (let i = aLo; i < aHi; i++) {
    const c = count.get(a[i]) ?? { inA: 0, inB: 0, posA: -1, posB: -1 };
    c.inA++;
    c.posA = i;
    count.set(a[i], c);
  }
  for (let j = bLo; j < bHi; j++) {
    const c = count.get(b[j]);
    if (!c) continue;
    c.inB++;
    c.posB = j;
  }
  const pairs: [number, number][] = [];
  for (let j = bLo; j < bHi; j++) {
    const c = count.get(b[j]);
    if (c && c.inA === 1 && c.inB === 1) pairs.push([c.posA, j]);
  }
  return longestIncreasing(pairs);
}

/** Longest chain of pairs increasing in the first position (the second already increases). */
function longestIncreasing(pairs: [number, number][]): [number, number][] {
  const tails: number[] = [];
  const previous = new Int32Array(pairs.length).fill(-1);
  pairs.forEach(([ai], index) => {
    let [lo, hi] = [0, tails.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]][0] < ai) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[index] = tails[lo - 1];
    tails[lo] = index;
  });
  const chain: [number, number][] = [];
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = previous[i]) chain.push(pairs[i]);
  return chain.reverse();
}

/** Adjacent runs of one kind become one; a delete always comes before its insert. */
function mergeRuns(edits: Edit[]): Edit[] {
  const out: Edit[] = [];
  for (const e of edits) {
    const last = out[out.length - 1];
    if (last && last.kind === e.kind) {
      last.aEnd = e.aEnd;
      last.bEnd = e.bEnd;
    } else {
      out.push({ ...e });
    }
  }
  return out;
}

/**
 * A pure insertion (or deletion) between equal lines can often sit in several places, e.g. a new
 * XML block can start at a closing tag of its neighbour. Like git's compaction, slide it as far
 * down as it goes, so it starts at its own first line and is attributed to the right dataset.
 */
function slideChanges(edits: Edit[], a: Int32Array, b: Int32Array): Edit[] {
  for (let i = 1; i + 1 < edits.length; i++) {
    const [before, change, after] = [edits[i - 1], edits[i], edits[i + 1]];
    if (before.kind !== 'equal' || after.kind !== 'equal' || change.kind === 'equal') continue;
    const lines = change.kind === 'insert' ? b : a;
    const range = change.kind === 'insert' ? ['bStart', 'bEnd'] as const : ['aStart', 'aEnd'] as const;
    while (after.aEnd > after.aStart && lines[change[range[0]]] === lines[change[range[1]]]) {
      change.aStart++;
      change.aEnd++;
      change.bStart++;
      change.bEnd++;
      before.aEnd++;
      before.bEnd++;
      after.aStart++;
      after.bStart++;
    }
  }
  return edits.filter((e) => e.aEnd > e.aStart || e.bEnd > e.bStart);
}

export interface Hunk {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
  edits: Edit[];
}

/** Groups the changes with `context` equal lines around them; close groups merge. */
export function hunks(edits: readonly Edit[], context = 3): Hunk[] {
  const out: Hunk[] = [];
  let current: Hunk | undefined;
  edits.forEach((edit, i) => {
    if (edit.kind === 'equal') return;
    const previous = edits[i - 1];
    const lead = previous?.kind === 'equal' ? Math.min(context, previous.aEnd - previous.aStart) : 0;
    if (current && previous?.kind === 'equal' && previous.aEnd - previous.aStart > 2 * context) {
      closeHunk(current, previous, context);
      out.push(current);
      current = undefined;
    }
    if (!current) {
      current = { aStart: edit.aStart - lead, aEnd: edit.aStart, bStart: edit.bStart - lead, bEnd: edit.bStart, edits: [] };
      if (lead > 0) current.edits.push({ kind: 'equal', aStart: edit.aStart - lead, aEnd: edit.aStart, bStart: edit.bStart - lead, bEnd: edit.bStart });
    } else if (previous?.kind === 'equal') {
      current.edits.push(previous);
    }
    current.edits.push(edit);
    current.aEnd = edit.aEnd;
    current.bEnd = edit.bEnd;
  });
  if (current) {
    const last = edits[edits.length - 1];
    if (last.kind === 'equal') closeHunk(current, last, context);
    out.push(current);
  }
  return out;
}

function closeHunk(hunk: Hunk, following: Edit, context: number): void {
  const tail = Math.min(context, following.aEnd - following.aStart);
  if (tail === 0) return;
  hunk.edits.push({ kind: 'equal', aStart: following.aStart, aEnd: following.aStart + tail, bStart: following.bStart, bEnd: following.bStart + tail });
  hunk.aEnd = following.aStart + tail;
  hunk.bEnd = following.bStart + tail;
}

export interface LineCounts {
  added: number;
  removed: number;
}

/** The hunks of a unified diff (without file headers), and how many lines each side changed. */
export function unifiedHunks(before: string, after: string, context = 3): { text: string; counts: LineCounts } {
  const [a, b] = [splitLines(before), splitLines(after)];
  const out: string[] = [];
  const counts: LineCounts = { added: 0, removed: 0 };
  for (const hunk of hunks(diffLines(a, b), context)) {
    out.push(`@@ -${range(hunk.aStart, hunk.aEnd)} +${range(hunk.bStart, hunk.bEnd)} @@\n`);
    for (const edit of hunk.edits) {
      if (edit.kind !== 'insert') emitLines(out, edit.kind === 'equal' ? ' ' : '-', a, edit.aStart, edit.aEnd);
      if (edit.kind === 'insert') emitLines(out, '+', b, edit.bStart, edit.bEnd);
      if (edit.kind === 'delete') counts.removed += edit.aEnd - edit.aStart;
      if (edit.kind === 'insert') counts.added += edit.bEnd - edit.bStart;
    }
  }
  return { text: out.join(''), counts };
}

// diff(1)'s convention: an empty range names the line before it.
function range(start: number, end: number): string {
  const count = end - start;
  return count === 1 ? `${start + 1}` : `${count === 0 ? start : start + 1},${count}`;
}

function emitLines(out: string[], sign: string, text: SplitText, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    out.push(`${sign}${text.lines[i]}\n`);
    if (i === text.lines.length - 1 && !text.finalNewline) out.push('\\ No newline at end of file\n');
  }
}
