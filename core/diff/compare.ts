// What a rendered tree changes against a previous one: the files, and in the reviewer's terms,
// per output and per dataset (added / changed / removed). Dataset membership comes from the two
// lock files; which dataset a change inside a shared file belongs to comes from attribute.ts.
import { LOCK_FILE, type OutputTree } from '../build.js';
import { compareStrings } from '../diagnostics.js';
import { attributeChange, datasetNamer } from './attribute.js';
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
    for (const [path, file] of after) this.note(partsOf(path, file.content, file.datasets), 'after');
    for (const path of before.entries.keys()) {
      const text = previousTexts.get(path) ?? after.get(path)?.content ?? '';
      this.note(partsOf(path, text, beforeDatasets.get(path) ?? []), 'before');
    }
  }

  private note(parts: readonly Part[], side: 'before' | 'after'): void {
    for (const part of parts) {
      let entry = this.presence.get(part.label);
      if (!entry) {
        entry = { before: new Set(), after: new Set(), unit: part.unit };
        this.presence.set(part.label, entry);
      }
      for (const id of part.datasets) {
        entry[side].add(id);
        this.everywhere[side].add(id);
      }
    }
  }

  outputs(files: readonly FileChange[]): OutputChange[] {
    const rows = new Map<string, OutputChange>();
    const touched = new Map<string, Set<string>>();
    for (const file of files) {
      const beforeParts = file.status === 'added' ? [] : partsOf(file.path, file.before, this.beforeDatasets.get(file.path) ?? []);
      const afterParts = file.status === 'removed' ? [] : partsOf(file.path, file.after, this.after.get(file.path)?.datasets ?? []);
      const shared = new Set<string>();
      for (const change of changedParts(beforeParts, afterParts)) {
        const set = touched.get(change.label) ?? new Set<string>();
        touched.set(change.label, set);
        for (const id of change.datasets) set.add(id);
        if (change.shared) shared.add(change.label);
        if (!rows.has(change.label)) rows.set(change.label, emptyRow(change.label, this.presence.get(change.label)?.unit ?? 'datasets'));
      }
      for (const label of new Set([...beforeParts, ...afterParts].map((p) => p.label))) {
        const row = rows.get(label);
        if (!row) continue;
        row.files[file.status]++;
        if (shared.has(label)) row.shared++;
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

/**
 * What the summary counts in: a whole file, or, in a Kubernetes manifest, each object (a file of
 * CronJobs and ExternalSecrets counts both kinds, each for the datasets its objects name).
 */
interface Part {
  label: string;
  unit: string;
  /** Matches the same part on the other side. */
  key: string;
  /** Undefined when the old text was not read (only the file's status is known). */
  text?: string;
  datasets: readonly string[];
}

function partsOf(path: string, text: string | undefined, datasets: readonly string[]): Part[] {
  const kind = outputKind(path);
  if (!kind) return [];
  if (!path.startsWith('k8s/') || !/\.ya?ml$/.test(path) || text === undefined) return [{ ...kind, key: path, text, datasets }];
  const namespace = path.split('/')[1];
  const named = datasetNamer(datasets);
  return text.split(/^---[^\n]*\n/m).filter((doc) => doc.trim() !== '').map((doc, index) => {
    const objectKind = /^kind: *["']?([A-Za-z]+)/m.exec(doc)?.[1];
    const name = /^metadata:\n(?: .*\n)*? {2}name: *["']?([^"'\s]+)/m.exec(doc)?.[1];
    return {
      label: objectKind ? `${objectKind}s in ${namespace}` : kind.label,
      unit: objectKind ? '' : kind.unit,
      key: `${objectKind ?? ''}/${name ?? index}`,
      text: doc,
      datasets: datasets.length <= 1 ? datasets : [...named(doc)],
    };
  });
}

interface PartChange {
  label: string;
  datasets: Set<string>;
  /** Some of the change belongs to no single dataset. */
  shared: boolean;
}

function changedParts(before: readonly Part[], after: readonly Part[]): PartChange[] {
  const old = new Map(before.map((p) => [p.key, p]));
  const now = new Map(after.map((p) => [p.key, p]));
  const changes: PartChange[] = [];
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    const [b, a] = [old.get(key), now.get(key)];
    if (b && a && b.text !== undefined && b.text === a.text) continue;
    const ids = new Set([...(b?.datasets ?? []), ...(a?.datasets ?? [])]);
    // A part of no dataset that appears or goes is a file of its own (listed, not counted here).
    let change: PartChange = { label: (a ?? b)!.label, datasets: ids, shared: ids.size === 0 && b !== undefined && a !== undefined };
    if (b && a && ids.size > 1) {
      const attribution = attributeChange(b.text ?? '', a.text ?? '', ids);
      const [had, has] = [new Set(b.datasets), new Set(a.datasets)];
      for (const id of ids) if (!had.has(id) || !has.has(id)) attribution.datasets.add(id);
      change = { label: a.label, datasets: attribution.datasets, shared: attribution.unattributed };
    }
    changes.push(change);
    if (b && a && b.label !== a.label) changes.push({ ...change, label: b.label });
  }
  return changes;
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
