// How a TreeDiff is shown: plain text (summary, then a patch `git apply` accepts), Markdown for a
// pull-request comment or $GITHUB_STEP_SUMMARY (long parts folded, size bounded), and JSON.
import { LOCK_FILE } from '../build.js';
import type { ChangeStatus, DatasetChange, FileChange, OutputChange, TreeDiff } from './compare.js';
import { unifiedHunks, type LineCounts } from './lines.js';

/** First line of the Markdown; a workflow finds its earlier comment by it and edits it. */
export const MARKDOWN_MARKER = '<!-- steller-diff -->';

const SIGN: Record<ChangeStatus, string> = { added: '+', changed: '~', removed: '-' };
const LETTER: Record<ChangeStatus, string> = { added: 'A', changed: 'M', removed: 'D' };

/** "ERDDAP data: +2 datasets, ~1; CronJobs in sea-eagle: +2; CKAN catalog: +2 records" */
export function summaryLine(outputs: readonly OutputChange[]): string {
  return outputs.map((row) => `${row.label}: ${rowCounts(row)}`).join('; ');
}

export function rowCounts(row: OutputChange): string {
  const parts = (['added', 'changed', 'removed'] as const).filter((s) => row[s].length > 0).map((s) => `${SIGN[s]}${row[s].length}`);
  if (parts.length > 0 && row.unit) {
    const first = (['added', 'changed', 'removed'] as const).find((s) => row[s].length > 0)!;
    parts[0] += ` ${plural(row[first].length, row.unit)}`;
  }
  // Files no dataset owns (a kustomization, a header): counted as files.
  if (parts.length > 0) {
    if (row.shared > 0) parts.push(`~${row.shared} shared ${plural(row.shared, 'files')}`);
    return parts.join(', ');
  }
  const files = (['added', 'changed', 'removed'] as const).filter((s) => row.files[s] > 0).map((s) => `${SIGN[s]}${row.files[s]}`);
  const total = row.files.added + row.files.changed + row.files.removed;
  return `${files.join(', ')} ${plural(total, 'files')}`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word.replace(/s$/, '') : word;
}

function countBy<T>(items: readonly T[], status: (item: T) => ChangeStatus): string {
  const counts = { added: 0, changed: 0, removed: 0 };
  for (const item of items) counts[status(item)]++;
  return `+${counts.added} ~${counts.changed} -${counts.removed}`;
}

export function headline(diff: TreeDiff): string {
  if (diff.files.length === 0) return 'no changes';
  const files = `${diff.files.length} ${plural(diff.files.length, 'files')} (${countBy(diff.files, (f) => f.status)})`;
  if (diff.datasets.length === 0) return files;
  return `${diff.datasets.length} ${plural(diff.datasets.length, 'datasets')} (${countBy(diff.datasets, (d) => d.status)}), ${files}`;
}

export interface Patch {
  text: string;
  counts: LineCounts;
}

/** The unified diff of the given files, with git's headers. */
export function patchOf(files: readonly FileChange[]): Patch {
  const out: string[] = [];
  const counts: LineCounts = { added: 0, removed: 0 };
  for (const file of files) {
    const hunks = unifiedHunks(file.before ?? '', file.after ?? '');
    counts.added += hunks.counts.added;
    counts.removed += hunks.counts.removed;
    out.push(`diff --git a/${file.path} b/${file.path}\n`);
    if (file.status === 'added') out.push('new file mode 100644\n');
    if (file.status === 'removed') out.push('deleted file mode 100644\n');
    if (hunks.text === '') continue;
    out.push(`--- ${file.status === 'added' ? '/dev/null' : `a/${file.path}`}\n`);
    out.push(`+++ ${file.status === 'removed' ? '/dev/null' : `b/${file.path}`}\n`);
    out.push(hunks.text);
  }
  return { text: out.join(''), counts };
}

export interface FormatOptions {
  /** What the tree was compared with, e.g. "folder out" or "git ref origin/main". */
  against: string;
  /** Leave the patch out. */
  summaryOnly?: boolean;
}

export function formatText(diff: TreeDiff, options: FormatOptions): string {
  const out = [`Compared with ${options.against}: ${headline(diff)}`];
  if (diff.files.length === 0) return `${out[0]}\n`;
  if (diff.outputs.length > 0) out.push(summaryLine(diff.outputs));
  if (diff.datasets.length > 0) {
    out.push('', 'Datasets:');
    const width = Math.max(...diff.datasets.map((d) => d.id.length));
    for (const d of diff.datasets) out.push(`  ${SIGN[d.status]} ${d.id.padEnd(width)}  ${datasetOutputs(d)}`);
  }
  out.push('', 'Files:');
  for (const f of diff.files) out.push(`  ${LETTER[f.status]} ${f.path}`);
  if (!options.summaryOnly) out.push('', patchOf(diff.files).text.replace(/\n$/, ''));
  return `${out.join('\n')}\n`;
}

function datasetOutputs(d: DatasetChange): string {
  return d.outputs.map((o) => `${SIGN[o.status]}${o.label}`).join(', ');
}

export interface MarkdownOptions extends FormatOptions {
  /** Bound on the whole text: a pull-request comment holds 65,536 characters. */
  maxChars?: number;
}

const MAX_TABLE_ROWS = 200;

export function formatMarkdown(diff: TreeDiff, options: MarkdownOptions): string {
  const maxChars = options.maxChars ?? 60_000;
  const out = [MARKDOWN_MARKER, `### steller diff: ${headline(diff)}`, '', `Compared with ${options.against}.`];
  if (diff.files.length === 0) return `${out.join('\n')} The catalog renders exactly this tree.\n`;
  if (diff.outputs.length > 0) {
    out.push('', '| Output | Change | Added | Changed | Removed |', '| --- | --- | ---: | ---: | ---: |');
    for (const row of diff.outputs) {
      out.push(`| ${cell(row.label)} | ${cell(rowCounts(row))} | ${listCell(row.added)} | ${listCell(row.changed)} | ${listCell(row.removed)} |`);
    }
  }
  if (diff.datasets.length > 0) {
    out.push('', `<details><summary>Datasets (${countBy(diff.datasets, (d) => d.status)})</summary>`, '');
    out.push('| Dataset | Change | Outputs |', '| --- | --- | --- |');
    for (const d of diff.datasets.slice(0, MAX_TABLE_ROWS)) out.push(`| \`${d.id}\` | ${d.status} | ${cell(datasetOutputs(d))} |`);
    if (diff.datasets.length > MAX_TABLE_ROWS) out.push('', `…and ${diff.datasets.length - MAX_TABLE_ROWS} more.`);
    out.push('', '</details>');
  }
  const shown = diff.files.filter((f) => f.path !== LOCK_FILE);
  if (options.summaryOnly || shown.length === 0) return `${out.join('\n')}\n`;
  const patch = patchOf(shown);
  const head = out.join('\n');
  const budget = maxChars - head.length - 400;
  const body = truncateLines(patch.text, budget);
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(body.text) + 1));
  out.push('', `<details><summary>Unified diff: ${shown.length} ${plural(shown.length, 'files')}, +${patch.counts.added} −${patch.counts.removed} lines${diff.files.length > shown.length ? ` (${LOCK_FILE} not shown)` : ''}</summary>`, '');
  out.push(`${fence}diff`, body.text.replace(/\n$/, ''), fence);
  if (body.omitted > 0) out.push('', `Cut here: ${body.omitted} more lines. Run \`steller diff\` for the whole diff.`);
  out.push('', '</details>');
  return `${out.join('\n')}\n`;
}

function truncateLines(text: string, maxChars: number): { text: string; omitted: number } {
  if (text.length <= maxChars) return { text, omitted: 0 };
  const cut = text.lastIndexOf('\n', Math.max(0, maxChars));
  const kept = cut < 0 ? '' : text.slice(0, cut + 1);
  const omitted = text.slice(kept.length).split('\n').length - 1;
  return { text: kept, omitted };
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function listCell(ids: readonly string[]): string {
  if (ids.length === 0) return '';
  const shown = ids.slice(0, 5).map((id) => `\`${id}\``).join(', ');
  return ids.length > 5 ? `${shown} +${ids.length - 5}` : shown;
}

export function formatJson(diff: TreeDiff, options: FormatOptions): unknown {
  return {
    against: options.against,
    files: diff.files.map((f) => ({ path: f.path, status: f.status })),
    outputs: diff.outputs,
    datasets: diff.datasets,
    ...(options.summaryOnly ? {} : { patch: patchOf(diff.files).text }),
  };
}
