// steller diff: the summary per output and per dataset from the lock files, which dataset a
// change inside a shared file belongs to, the Markdown for pull requests, and the CLI against a
// git ref, whose patch `git apply` must turn the old tree into the new one.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCatalog } from '../../core/build.js';
import { attributeChange } from '../../core/diff/attribute.js';
import { compareTrees, type TreeDiff } from '../../core/diff/compare.js';
import { formatMarkdown, MARKDOWN_MARKER, summaryLine } from '../../core/diff/format.js';
import { EMPTY_SNAPSHOT, snapshotOfTree } from '../../core/diff/snapshot.js';
import { loadCatalog } from '../../core/load.js';
import { readTree, writeTree } from '../../core/output.js';
import { copyExampleCatalog, runCli, tempDir } from '../helpers/cli.js';
import { contentsOf, gitSync, PROBE_DATASETS, probeTree } from './helpers/trees.js';

describe('compareTrees', () => {
  it('counts datasets per output from the lock files: added, changed, removed', async () => {
    const before = probeTree(PROBE_DATASETS);
    const after = probeTree([
      ...PROBE_DATASETS.filter((d) => d.id !== 'A01_met').map((d) => (d.id === 'B01_met' ? { ...d, title: 'renamed' } : d)),
      { id: 'M01_adcp', title: 'Buoy M01 currents' },
    ]);
    const diff = await compareTrees(snapshotOfTree(before), after);
    expect(diff.outputs.map((o) => [o.label, o.added, o.changed, o.removed, o.shared])).toEqual([
      ['ERDDAP data', ['M01_adcp'], ['B01_met'], ['A01_met'], 0],
      ['QC configs', ['M01_adcp'], ['B01_met'], ['A01_met'], 0],
    ]);
    expect(summaryLine(diff.outputs)).toBe('ERDDAP data: +1 dataset, ~1, -1; QC configs: +1, ~1, -1');
    expect(diff.datasets.map((d) => [d.id, d.status])).toEqual([['A01_met', 'removed'], ['B01_met', 'changed'], ['M01_adcp', 'added']]);
    expect(diff.files.map((f) => `${f.status} ${f.path}`)).toEqual([
      'changed erddap/data/datasets.xml', 'removed qc/A01_met.yaml', 'changed qc/B01_met.yaml', 'added qc/M01_adcp.yaml', 'changed steller.lock.json',
    ]);
  });

  it('pins a change in a shared header on no dataset, and an unchanged tree has no differences', async () => {
    const before = probeTree(PROBE_DATASETS);
    const header = new Map(before);
    const xml = before.get('erddap/data/datasets.xml')!;
    header.set(xml.path, { ...xml, content: xml.content.replace('<cacheMinutes>60', '<cacheMinutes>30') });
    const diff = await compareTrees(snapshotOfTree(before), header);
    expect(diff.outputs).toMatchObject([{ label: 'ERDDAP data', added: [], changed: [], removed: [], shared: 1 }]);
    expect(summaryLine(diff.outputs)).toBe('ERDDAP data: ~1 file');
    expect((await compareTrees(snapshotOfTree(before), before)).files).toEqual([]);
  });

  it('counts Kubernetes manifests per kind of object, each for the datasets its objects name', async () => {
    const cronJob = (id: string, schedule: string) => `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  annotations:\n    steller.io/dataset-id: ${id}\n  name: ${id.toLowerCase().replace(/_/g, '-')}\nspec:\n  schedule: "${schedule}"\n`;
    const secret = (id: string) => `apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: ${id.toLowerCase().replace(/_/g, '-')}-secrets\nspec:\n  target:\n    name: ${id.toLowerCase().replace(/_/g, '-')}-secrets\n`;
    const harvest = (docs: string[], datasets: string[]) => ({ 'k8s/harvest/harvest.yaml': { content: docs.join('---\n'), datasets } });
    const before = probeTree(PROBE_DATASETS, harvest([secret('A01_met'), cronJob('A01_met', '7 * * * *'), cronJob('B01_met', '9 * * * *')], ['A01_met', 'B01_met']));
    const after = probeTree(PROBE_DATASETS, harvest([secret('A01_met'), cronJob('A01_met', '17 * * * *'), cronJob('PORTS_CC_realtime', '3 * * * *')], ['A01_met', 'PORTS_CC_realtime']));
    const diff = await compareTrees(snapshotOfTree(before), after);
    expect(summaryLine(diff.outputs)).toBe('CronJobs in harvest: +1, ~1, -1');
    expect(diff.outputs[0]).toMatchObject({ added: ['PORTS_CC_realtime'], changed: ['A01_met'], removed: ['B01_met'] });
  });

  it('treats everything as added against nothing', async () => {
    const diff = await compareTrees(EMPTY_SNAPSHOT, probeTree(PROBE_DATASETS));
    expect(diff.datasets.every((d) => d.status === 'added')).toBe(true);
    expect(diff.files.every((f) => f.status === 'added')).toBe(true);
  });
});

describe('attributeChange', () => {
  const record = (id: string, title: string) => `    {\n      "@type": "dcat:Dataset",\n      "title": "${title}",\n      "keyword": ["buoy"],\n      "identifier": "https://catalog.example.org/dataset/${id.toLowerCase()}"\n    }`;
  const catalog = (records: string[]) => `{\n  "dataset": [\n${records.join(',\n')}\n  ]\n}\n`;
  const ids = ['A01_met', 'B01_met', 'C01_met'];

  it('finds the dataset of a line whose id comes later in its block (DCAT-US data.json)', () => {
    const before = catalog(ids.map((id) => record(id, `${id} title`)));
    const after = catalog(ids.map((id) => record(id, id === 'B01_met' ? 'renamed' : `${id} title`)));
    expect(attributeChange(before, after, ids)).toEqual({ datasets: new Set(['B01_met']), unattributed: false });
  });

  it('gives a removed block to its dataset, not to the neighbour whose identical lines the diff shifted', () => {
    const before = catalog(ids.map((id) => record(id, `${id} title`)));
    const after = catalog(ids.filter((id) => id !== 'B01_met').map((id) => record(id, `${id} title`)));
    expect(attributeChange(before, after, ids)).toEqual({ datasets: new Set(['B01_met']), unattributed: false });
  });

  it('pins a line listing every dataset on none', () => {
    const list = (names: string[]) => `catalog:\n  datasets: ${names.join(', ')}\n`;
    expect(attributeChange(list(ids), list(ids.slice(0, 2)), ids)).toEqual({ datasets: new Set(), unattributed: true });
  });
});

describe('formatMarkdown', () => {
  const bigDiff = async (): Promise<TreeDiff> => {
    const before = probeTree(PROBE_DATASETS);
    const after = probeTree(PROBE_DATASETS, { 'notes/readme.md': `${'```\nfenced\n```\n'.repeat(5)}${'line\n'.repeat(20_000)}` });
    return compareTrees(snapshotOfTree(before), after);
  };

  it('starts with the marker the workflow finds its comment by, folds the diff, and stays under the bound', async () => {
    const diff = await bigDiff();
    const text = formatMarkdown(diff, { against: 'the catalog at main', maxChars: 20_000 });
    expect(text.startsWith(`${MARKDOWN_MARKER}\n### steller diff: `)).toBe(true);
    expect(text.length).toBeLessThanOrEqual(20_000);
    expect(text).toMatch(/<details><summary>Unified diff: 1 file, \+20015 −0 lines \(steller\.lock\.json not shown\)<\/summary>/);
    expect(text).toMatch(/^````diff$/m); // longer than any run of backticks inside
    expect(text).toMatch(/Cut here: \d+ more lines\. Run `steller diff` for the whole diff\./);
    expect(formatMarkdown(diff, { against: 'the catalog at main', maxChars: 20_000 })).toBe(text);
  });
});

describe('steller diff --against-git (CLI)', () => {
  it('compares with the catalog at a commit; its patch turns the old tree into the new one', async () => {
    const scratch = tempDir('steller-diff-cli-');
    try {
      // The catalog in a repository; the old tree outside it (git apply inside a repository
      // would skip paths outside the current folder).
      const repo = join(scratch.dir, 'repo');
      const catalog = copyExampleCatalog(repo);
      gitSync(['init', '-q', repo]);
      gitSync(['add', '.'], { cwd: repo });
      gitSync(['commit', '-q', '-m', 'catalog'], { cwd: repo });
      const old = join(scratch.dir, 'old');
      const loaded = loadCatalog(catalog);
      await writeTree(old, renderCatalog(loaded.catalog!, loaded.report));

      const file = join(catalog, 'datasets/buoys/B01_met.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Buoy B01 renamed'));
      const result = runCli(['diff', '--catalog', catalog, '--against-git', 'HEAD'], { cwd: repo });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^Compared with the catalog at HEAD \([0-9a-f]{12}\): 1 dataset \(\+0 ~1 -0\)/);
      expect(result.stdout).toMatch(/^ {2}~ B01_met {2}/m);

      writeFileSync(join(scratch.dir, 'change.diff'), result.stdout.slice(result.stdout.indexOf('diff --git ')));
      gitSync(['apply', '--whitespace=nowarn', '../change.diff'], { cwd: old });
      const now = loadCatalog(catalog);
      expect(readTree(old)).toEqual(contentsOf(renderCatalog(now.catalog!, now.report)));
    } finally {
      scratch.cleanup();
    }
  });
});
