// Patch builds against whole builds over a synthetic catalog, through a seeded run of the edits
// pull requests make: titles, keywords, schedules (moved, added, removed), reload intervals,
// secrets, and datasetIDs (which re-plan ERDDAP over the other datasets' recorded views),
// including one another dataset holds and two datasets that trade theirs. After every edit the
// build with the cache and a build from scratch must give the same bytes and the same
// diagnostics; a failed build leaves out/ as it was. The fixed cases of test/core/patch.test.ts
// pin each kind of edit; this run finds what their order, and the catalog's variety, bring out.
// At 200 datasets the catalog-wide files pass 1 MiB, so builds write them over the spares the
// cache keeps (core/staging.ts).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSyntheticCatalog } from '../../bench/synth.js';
import { listTree, readTree } from '../../core/output.js';
import { runBuild } from '../../core/pipeline.js';
import { tempDir } from '../helpers/cli.js';

const scratch = tempDir('steller-patch-random-');
afterAll(() => scratch.cleanup());

const ERDDAP_SERVICE = /\n {2}erddap:\n {4}- server: [^\n]+\n(?: {6}dataset_id: ([^\n]*)\n)?/;

interface Edit {
  what: string;
  file: string;
  change: (text: string) => string;
}

describe('a seeded run of edits, each built with the cache and from scratch', () => {
  const catalog = join(scratch.dir, 'catalog');
  const { datasetFiles } = writeSyntheticCatalog(catalog, { datasets: 200, seed: 11 });
  const warm = join(scratch.dir, 'out-warm');
  const cold = join(scratch.dir, 'out-cold');
  const cacheDir = join(scratch.dir, 'cache');
  const read = (file: string) => readFileSync(join(catalog, file), 'utf8');
  const withErddap = datasetFiles.filter((file) => ERDDAP_SERVICE.test(read(file)));
  const withSecrets = datasetFiles.filter((file) => /\nsecrets:\n {2}- \{ env: \w+, key: "[^"]+" \}/.test(read(file)));
  const scheduled = datasetFiles.filter((file) => /\nschedule: "[^"]+"/.test(read(file)));

  let seed = 20261206;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const pick = (files: readonly string[]) => files[random(files.length)];
  const setDatasetId = (id: string | undefined) => (text: string) => text.replace(ERDDAP_SERVICE, (service: string, current: string | undefined) => {
    const head = current === undefined ? service : service.slice(0, service.lastIndexOf('      dataset_id:'));
    return id === undefined ? head : `${head}      dataset_id: ${id}\n`;
  });
  const datasetIdOf = (file: string) => ERDDAP_SERVICE.exec(read(file))?.[1];

  function edits(step: number): Edit[] {
    const kind = step % 9;
    const file = pick(kind === 3 ? withSecrets : kind === 4 ? scheduled : kind === 0 || kind >= 5 ? withErddap : datasetFiles);
    switch (kind) {
      case 0: return [{ what: 'a datasetID', file, change: setDatasetId(`moved_${step}_${random(1000)}`) }];
      case 1: return [{ what: 'a title', file, change: (t) => t.replace(/^title: .*$/m, `title: Edited title ${step}`) }];
      case 2: return [{ what: 'keywords', file, change: (t) => t.replace(/^keywords: \[/m, `keywords: [edit ${step}, `) }];
      case 3: return [{ what: 'secrets', file, change: (t) => t.replace(/(\nsecrets:\n {2}- \{ env: \w+, key: ")([^"]+)"/, `$1/edited/${step}"`) }];
      case 4: return [{ what: 'a schedule', file, change: (t) => t.replace(/\nschedule: "[^"]+"/, `\nschedule: "${random(60)} */${1 + random(6)} * * *"`) }];
      case 5: return [{ what: 'a reload interval', file, change: (t) => t.replace(/reloadEveryNMinutes: \d+/, `reloadEveryNMinutes: ${5 + step}`) }];
      case 6: {
        const other = pick(withErddap.filter((f) => f !== file));
        const [mine, theirs] = [datasetIdOf(file) ?? `traded_a_${step}`, datasetIdOf(other) ?? `traded_b_${step}`];
        return [
          { what: 'two datasets trading datasetIDs (first half)', file, change: setDatasetId(`${theirs}_x`) },
          { what: 'two datasets trading datasetIDs (second half)', file: other, change: setDatasetId(`${mine}_x`) },
        ];
      }
      case 7: return [{ what: 'a datasetID back to its default', file, change: setDatasetId(undefined) }];
      default: return [{
        what: 'a schedule added or removed', file,
        change: (t) => (/\nschedule: "[^"]+"/.test(t) ? t.replace(/\nschedule: "[^"]+"/, '') : t.replace(/^title: (.*)$/m, `title: $1\nschedule: "${random(60)} * * * *"`)),
      }];
    }
  }

  function apply(edit: Edit): void {
    const before = read(edit.file);
    const after = edit.change(before);
    writeFileSync(join(catalog, edit.file), after === before ? `${before}# ${edit.what}\n` : after);
  }

  async function buildBoth(what: string): Promise<{ patched: boolean; failed: boolean }> {
    const before = Object.fromEntries(readTree(warm));
    const incremental = await runBuild({ catalog, out: warm, cacheDir });
    rmSync(cold, { recursive: true, force: true });
    const whole = await runBuild({ catalog, out: cold, cacheDir: false });
    expect(incremental.report.sorted(), what).toEqual(whole.report.sorted());
    const failed = whole.report.hasErrors;
    expect(Object.fromEntries(readTree(warm)), what).toEqual(failed ? before : Object.fromEntries(readTree(cold)));
    return { patched: incremental.patched === true, failed };
  }

  it('gives a whole build\'s bytes and diagnostics after every edit, and patches most of them', async () => {
    await runBuild({ catalog, out: warm, cacheDir });
    const outcomes: string[] = [];
    for (let step = 0; step < 18; step++) {
      const run = edits(step);
      for (const edit of run) apply(edit);
      const { patched, failed } = await buildBoth(`step ${step}: ${run.map((e) => `${e.what} of ${e.file}`).join(', ')}`);
      outcomes.push(`${run[0].what}: ${failed ? 'failed' : patched ? 'patched' : 'whole'}`);
    }
    // A datasetID another dataset holds fails like a whole build, and leaves out/ alone.
    const [first, second] = withErddap;
    apply({ what: 'a datasetID', file: second, change: setDatasetId('clash') });
    apply({ what: 'the same datasetID', file: first, change: setDatasetId('Clash') });
    const taken = await buildBoth('a datasetID another dataset holds');
    apply({ what: 'a fresh datasetID', file: first, change: setDatasetId('fresh_after_clash') });
    const fresh = await buildBoth('a fresh datasetID after the clash');
    expect(taken.failed).toBe(true);
    expect(fresh).toEqual({ patched: true, failed: false });
    // datasets.xml, over 1 MiB at 200 datasets, was written over the file an earlier build replaced.
    expect(listTree(cacheDir).filter((path) => path.endsWith('/spare/erddap/data/datasets.xml'))).toHaveLength(1);
    expect(outcomes.filter((o) => o.startsWith('a datasetID:') && o.endsWith('patched')).length, outcomes.join('\n')).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.endsWith('patched')).length, outcomes.join('\n')).toBeGreaterThanOrEqual(13);
  });
});
