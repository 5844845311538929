// The example catalog is the project's showcase: it validates cleanly, and out/ in the
// repository is exactly what it renders (readers see real, current output).
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { copyExampleCatalog, runCli, tempDir } from '../helpers/cli.js';

const scratch = tempDir('steller-example-');
afterAll(() => scratch.cleanup());

describe('the example catalog', () => {
  it('validates with no errors, and no warnings but the seed record\'s own', () => {
    const result = runCli(['validate', '--format', 'json']);
    const report = JSON.parse(result.stdout);
    expect(report.errors).toEqual([]);
    // PORTS_CC_realtime keeps the seed's `aggregate: null`, which ioos_qc ignores: a warning by design.
    expect(report.warnings.map((w: { code: string; file: string }) => `${w.file} ${w.code}`)).toEqual(['datasets/ports/PORTS_CC_realtime.yaml qc-aggregate-ignored']);
    expect(result.status).toBe(0);
  });

  it('out/ is fresh (`npm start` regenerates it)', () => {
    const result = runCli(['build', '--check', '--catalog', 'catalog', '--out', 'out']);
    expect(result.status, result.stderr).toBe(0);
  });

  it('a failed build leaves out/ as it was', () => {
    const catalog = copyExampleCatalog(scratch.dir);
    const out = `${scratch.dir}/out`;
    expect(runCli(['build', '--catalog', catalog, '--out', out]).status).toBe(0);
    const before = runCli(['build', '--check', '--catalog', catalog, '--out', out]);
    expect(before.status).toBe(0);
    writeFileSync(`${catalog}/datasets/broken.yaml`, 'title: [unclosed\n');
    const failed = runCli(['build', '--catalog', catalog, '--out', out]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/left as it was/);
    // out/ still matches the catalog without the broken file.
    rmSync(`${catalog}/datasets/broken.yaml`);
    expect(runCli(['build', '--check', '--catalog', catalog, '--out', out]).status).toBe(0);
  });

  it('with --strict, a warning fails the build and out/ is not written', () => {
    const out = `${scratch.dir}/strict-out`;
    const strict = runCli(['--strict', 'build', '--out', out, '--no-cache']);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/qc-aggregate-ignored[\s\S]*left as it was/);
    expect(existsSync(out)).toBe(false);
  });

  it('`new dataset` scaffolds a record that validates', () => {
    const catalog = copyExampleCatalog(`${scratch.dir}/scaffold`);
    const created = runCli(['new', 'dataset', 'buoy_z01', '--dir', 'buoys', '--catalog', catalog]);
    expect(created.status, created.stderr).toBe(0);
    const result = runCli(['validate', '--catalog', catalog, '--format', 'json']);
    expect(JSON.parse(result.stdout).errors).toEqual([]);
    expect(runCli(['new', 'dataset', 'buoy_z01', '--dir', 'buoys', '--catalog', catalog]).status).toBe(2);
  });
});
