// What a rendered tree changes against a previous one: the files, and in the reviewer's terms,
// per output and per dataset (added / changed / removed). Dataset membership comes from the two
// lock files; which dataset a change inside a shared file belongs to comes from attribute.ts.
import { LOCK_FILE, type OutputTree } from '../build.js';
import { compareStrings } from '../diagnostics.js';
import { attributeChange } from './attribute.js';
import { outputKind } from './outputs.js';
import { FILE_MODE, gitBlobId, type TreeSnapshot } from './snapshot.js';

export type ChangeStatus = 'added' | 'changed' | 'removed';

export interface FileChange {
  path: string;
  status: ChangeStatus;
  /** The text before (changed, removed; when read, see CompareOptions) and after (added, changed). */
  before?: string;
  after?: string;
}

export interface OutputChange {
  label: string;
  unit: string;
  added: string[];
  changed: string[];
  removed: string[];
  files: Record<ChangeStatus, number>;
  /** Files of this output whose change belongs to no single dataset (headers, shared settings). */
  shared: number;
}

export interface DatasetChange {
  id: string;
  status: ChangeStatus;
  outputs: { label: string; status: ChangeStatus }[];
}

export interface TreeDiff {
  files: FileChange[];
  outputs: OutputChange[];
  datasets: DatasetChange[];
}

export function hasDifferences(diff: TreeDiff): boolean {
  return diff.files.length > 0;
}

export interface CompareOptions {
  /**
   * Read every changed file's old text, for a unified diff (default). Without it, only what the
   * summary needs is read: the lock file, changed files shared by several datasets, Kubernetes
   * files (their kind names the row). Publishing to GitHub thus reads a few blobs, not thousands.
   */
  patch?: boolean;
}

/** Only the files that differ are read from `before`. */
export async function compareTrees(before: TreeSnapshot, after: OutputTree, options: CompareOptions = {}): Promise<TreeDiff> {
  const statuses = fileStatuses(before, after);
  const lockText = before.entries.has(LOCK_FILE) ? (await before.read([LOCK_FILE])).get(LOCK_FILE) : undefined;
  const beforeLock = readLockDatasets(lockText);
  const needed = ([path, status]: [string, ChangeStatus]) => status !== 'added' && path !== LOCK_FILE
    && (options.patch !== false || path.startsWith('k8s/') || (status === 'changed' && sharedFile(path, beforeLock, after)));
  const previous = await before.read([...statuses].filter(needed).map(([p]) => p));
  if (lockText !== undefined) previous.set(LOCK_FILE, lockText);
  const files = [...statuses].map(([path, status]): FileChange => ({
    path,
    status,
    ...(previous.has(path) ? { before: previous.get(path) } : {}),
    ...(status !== 'removed' ? { after: after.get(path)?.content ?? '' } : {}),
  }));
  const sides = new Sides(before, after, beforeLock, previous);
  const outputs = sides.outputs(files);
  return { files, outputs, datasets: datasetChanges(outputs, sides.everywhere) };
}

function sharedFile(path: string, beforeLock: ReadonlyMap<string, readonly string[]>, after: OutputTree): boolean {
  return new Set([...(beforeLock.get(path) ?? []), ...(after.get(path)?.datasets ?? [])]).size > 1;
}

function fileStatuses(before: TreeSnapshot, after: OutputTree): Map<string, ChangeStatus> {
  const statuses = new Map<string, ChangeStatus>();
  for (const [path, file] of after) {
    const old = before.entries.get(path);
    if (!old) statuses.set(path, 'added');
    else if (old.mode !== FILE_MODE || old.sha !== gitBlobId(file.content)) statuses.set(path, 'changed');
  }
  for (const path of before.entries.keys()) if (!after.has(path)) statuses.set(path, 'removed');
  return new Map([...statuses].sort(([a], [b]) => compareStrings(a, b)));
}

/** Datasets per file in a lock file's text; nothing when it is absent or not a steller lock. */
export function readLockDatasets(text: string | undefined): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  if (text === undefined) return out;
  try {
    const lock = JSON.parse(text) as { files?: Record<string, { datasets?: unknown }> };
    for (const [path, entry] of Object.entries(lock.files ?? {})) {
      if (Array.isArray(entry?.datasets)) out.set(path, entry.datasets.filter((d): d is string => typeof d === 'string'));
    }
  } catch {
    // A folder or branch that steller did not write: no datasets known before.
  }
  return out;
}

type Presence = Map<string, { before: Set<string>; after: Set<string>; unit: string }>;

/** Which datasets each output had on either side, and which of them the changed files touch. */
class Sides {
  private readonly presence: Presence = new Map();
  /** Every dataset with an output, on each side. */
  readonly everywhere = { before: new Set<string>(), after: new Set<string>() };

  constructor(
    before: TreeSnapshot,
    private readonly after: OutputTree,
    private readonly beforeDatasets: ReadonlyMap<string, readonly string[]>,
    previousTexts: ReadonlyMap<string, string>,
  ) {
    for (const [path, file] of after) this.note(path, file.content, 'after', file.datasets);
    for (const path of before.entries.keys()) {
      const text = previousTexts.get(path) ?? after.get(path)?.content ?? '';
      this.note(path, text, 'before', beforeDatasets.get(path) ?? []);
    }
  }

  private note(path: string, content: string, side: 'before' | 'after', datasets: readonly string[]): void {
    const kind = outputKind(path, content);
    if (!kind) return;
    let entry = this.presence.get(kind.label);
    if (!entry) {
      entry = { before: new Set(), after: new Set(), unit: kind.unit };
      this.presence.set(kind.label, entry);
    }
    for (const id of datasets) {
      entry[side].add(id);
      this.everywhere[side].add(id);
    }
  }

  outputs(files: readonly FileChange[]): OutputChange[] {
    const rows = new Map<string, OutputChange>();
    const touched = new Map<string, Set<string>>();
    for (const file of files) {
      const beforeIds = this.beforeDatasets.get(file.path) ?? [];
      const afterIds = this.after.get(file.path)?.datasets ?? [];
      const labels = new Set<string>();
      // Only a Kubernetes file's label depends on its text, and those are always read.
      const texts = file.status === 'added' ? [file.after] : file.status === 'removed' ? [file.before] : [file.before, file.after];
      for (const text of texts) {
        const kind = outputKind(file.path, text ?? file.after ?? '');
        if (kind) labels.add(kind.label);
      }
      const { datasets, shared } = touchedBy(file, beforeIds, afterIds);
      for (const label of labels) {
        const row = rows.get(label) ?? emptyRow(label, this.presence.get(label)?.unit ?? 'datasets');
        rows.set(label, row);
        row.files[file.status]++;
        if (shared) row.shared++;
        const set = touched.get(label) ?? new Set<string>();
        touched.set(label, set);
        for (const id of datasets) set.add(id);
      }
    }
    for (const [label, row] of rows) {
      const { before, after } = this.presence.get(label) ?? { before: new Set<string>(), after: new Set<string>() };
      row.added = sorted([...after].filter((id) => !before.has(id)));
      row.removed = sorted([...before].filter((id) => !after.has(id)));
      row.changed = sorted([...(touched.get(label) ?? [])].filter((id) => before.has(id) && after.has(id)));
    }
    return [...rows.values()].sort((a, b) => compareStrings(a.label, b.label));
  }
}

function touchedBy(file: FileChange, beforeIds: readonly string[], afterIds: readonly string[]): { datasets: Set<string>; shared: boolean } {
  const all = new Set([...beforeIds, ...afterIds]);
  if (file.status !== 'changed' || all.size <= 1) return { datasets: all, shared: all.size === 0 };
  const attribution = attributeChange(file.before ?? '', file.after ?? '', all);
  for (const id of all) if (!beforeIds.includes(id) || !afterIds.includes(id)) attribution.datasets.add(id);
  return { datasets: attribution.datasets, shared: attribution.unattributed };
}

function emptyRow(label: string, unit: string): OutputChange {
  return { label, unit, added: [], changed: [], removed: [], files: { added: 0, changed: 0, removed: 0 }, shared: 0 };
}

function sorted(ids: string[]): string[] {
  return ids.sort(compareStrings);
}

/** Per dataset, the outputs it appears in, disappears from, or changes in. */
function datasetChanges(outputs: readonly OutputChange[], everywhere: { before: Set<string>; after: Set<string> }): DatasetChange[] {
  const byId = new Map<string, DatasetChange['outputs']>();
  for (const row of outputs) {
    for (const status of ['added', 'changed', 'removed'] as const) {
      for (const id of row[status]) {
        const list = byId.get(id) ?? [];
        byId.set(id, list);
        list.push({ label: row.label, status });
      }
    }
  }
  return [...byId.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([id, list]) => ({
      id,
      // New: no output had it before; gone: no output has it now. Otherwise some outputs changed.
      status: !everywhere.before.has(id) ? 'added' : !everywhere.after.has(id) ? 'removed' : 'changed',
      outputs: list.sort((a, b) => compareStrings(a.label, b.label)),
    }));
}
