// LockEntries finds a lock's entries by bisecting its text (core/lock.ts): it must agree with
// JSON.parse on every entry, and find nothing that is not there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, LockEntries, lockFileText, type LockFile } from '../../core/lock.js';
import { compareStrings } from '../../core/diagnostics.js';
import type { OutputFile } from '../../generators/types.js';
import { REPO } from '../helpers/cli.js';

function lockOf(paths: readonly string[], datasetsOf: (path: string, i: number) => string[]): Buffer {
  const sorted = [...paths].sort(compareStrings);
  const files = new Map<string, OutputFile>(sorted.map((path, i) => [path, { path, content: `content of ${path}`, datasets: datasetsOf(path, i) }]));
  return Buffer.from(lockFileText(files));
}

function agreesWithParse(bytes: Buffer): void {
  const entries = LockEntries.of(bytes);
  expect(entries).toBeDefined();
  const parsed = JSON.parse(bytes.toString('utf8')) as LockFile;
  for (const [path, entry] of Object.entries(parsed.files)) {
    expect(entries?.sha256(path), path).toBe(entry.sha256);
    expect(entries?.datasets(path), path).toEqual(entry.datasets);
    expect(bytes.toString('latin1', entries?.sha256At(path), (entries?.sha256At(path) ?? 0) + 64)).toBe(entry.sha256);
  }
}

describe('LockEntries', () => {
  it('agrees with JSON.parse on the example out/ lock', () => {
    agreesWithParse(readFileSync(join(REPO, 'out', LOCK_FILE)));
  });

  it('agrees on a big lock, with long dataset lists, odd characters and paths that share prefixes', () => {
    const paths = Array.from({ length: 3000 }, (_, i) => `qc/ds-${i}.yaml`);
    paths.push('erddap/data/datasets.xml', 'erddap/data', 'a "quoted" path', 'back\\slash/x', 'ünïcode/é.xml', 'z', 'qc/ds-1.yaml.bak');
    const ids = Array.from({ length: 5000 }, (_, i) => `dataset_${i}`);
    agreesWithParse(lockOf(paths, (path, i) => (path.startsWith('erddap') || i % 500 === 0 ? ids : [`id_${i}`])));
  });

  it('finds nothing that is not there', () => {
    const entries = LockEntries.of(lockOf(['b/1', 'b/3', 'd'], () => []));
    for (const path of ['', 'a', 'b', 'b/0', 'b/2', 'b/4', 'c', 'e', 'b/1/x']) expect(entries?.sha256(path), path).toBeUndefined();
    expect(entries?.sha256('b/3')).toMatch(/^[0-9a-f]{64}$/);
    expect(LockEntries.of(lockOf([], () => []))?.sha256('x')).toBeUndefined();
  });

  it('patches entries as lockFileText writes them: new hashes in place, new dataset lists anew', () => {
    const paths = Array.from({ length: 400 }, (_, i) => `k8s/ns-${i % 7}/file-${i}.yaml`);
    const datasets = (i: number) => Array.from({ length: i % 5 }, (_, j) => `ds_${(i * 7 + j) % 50}`);
    const before = lockOf(paths, (_, i) => datasets(i));
    const entries = LockEntries.of(before);
    const sorted = [...paths].sort(compareStrings);
    const changes = new Map<string, { sha256: string; datasets?: string[] }>();
    sorted.forEach((path, i) => {
      if (i % 9 === 0) changes.set(path, { sha256: 'a'.repeat(64) });
      if (i % 13 === 0) changes.set(path, { sha256: 'b'.repeat(64), datasets: i % 2 ? [] : ['z_last', ...datasets(i + 1), 'a "quoted" id', 'ünïcode'] });
    });
    const patched = entries?.patched(changes);
    const expected = JSON.parse(before.toString('utf8')) as LockFile;
    for (const [path, change] of changes) expected.files[path] = { sha256: change.sha256, datasets: [...new Set(change.datasets ?? expected.files[path].datasets)].sort(compareStrings) };
    expect(patched?.toString('utf8')).toBe(`${JSON.stringify(expected, null, 2)}\n`);
    expect(entries?.patched(new Map([['not/there', { sha256: 'c'.repeat(64) }]]))).toBeUndefined();
  });

  it('refuses text it did not write', () => {
    expect(LockEntries.of(Buffer.from(JSON.stringify({ lock_version: 1, files: {} })))).toBeUndefined();
    expect(LockEntries.of(Buffer.from('{\n  "lock_version": 99,\n  "files": {\n'))).toBeUndefined();
  });
});
