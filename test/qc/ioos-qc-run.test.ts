// The outside judge that matters most: ioos_qc itself loads every out/qc file of the example
// catalog and runs it on made-up data (test/qc/ioos_qc_judge.py). ioos_qc and pandas are Python
// and not installed by npm, so this runs only where STELLER_IOOS_QC_PYTHON names a python that
// imports ioos_qc (see docs/qc.md, "Checking with ioos_qc itself").
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExample } from '../helpers/catalog.js';
import { REPO, tempDir } from '../helpers/cli.js';
import { renderQc } from './helpers.js';

const python = process.env.STELLER_IOOS_QC_PYTHON;
const scratch = tempDir('steller-qc-run-');
afterAll(() => scratch.cleanup());

describe.skipIf(!python)('ioos_qc loads and runs every out/qc file of the example catalog', () => {
  it('without a warning, a dropped parameter or a failed test', () => {
    const { catalog, report } = loadExample();
    const files = [...renderQc(catalog, report)].map(([path, content]) => {
      const file = join(scratch.dir, path.replace('/', '_'));
      writeFileSync(file, content);
      return file;
    });
    const result = spawnSync(python ?? 'python3', [join(REPO, 'test/qc/ioos_qc_judge.py'), ...files], { encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    const verdicts = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { file: string; ok: boolean; results: number; problems: string[] });
    expect(verdicts).toHaveLength(files.length);
    for (const verdict of verdicts) {
      expect(verdict.problems, verdict.file).toEqual([]);
      expect(verdict.results, verdict.file).toBeGreaterThan(0);
    }
  });
});

if (!python) console.warn('test/qc/ioos-qc-run.test.ts: STELLER_IOOS_QC_PYTHON is not set; ioos_qc itself does not judge out/qc in this run');
