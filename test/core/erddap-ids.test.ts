// ERDDAP datasetIDs: the documented rule for new records, what ERDDAP loads for imported ones.
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { MINIMAL_DATASET, MINIMAL_PROJECT, writeCatalog } from '../helpers/write-catalog.js';

const scratch = tempDir('steller-erddap-ids-');
afterAll(() => scratch.cleanup());

function validate(name: string, serviceExtra: string) {
  const dataset = MINIMAL_DATASET.replace('server: data,', `server: data, ${serviceExtra}`);
  const dir = writeCatalog(`${scratch.dir}/${name}`, { 'steller.yaml': MINIMAL_PROJECT, 'datasets/a.yaml': dataset });
  const result = runCli(['validate', '--catalog', dir, '--format', 'json']);
  return { status: result.status, report: JSON.parse(result.stdout) as { errors: { code: string }[]; warnings: { code: string }[] } };
}

describe('ERDDAP datasetIDs', () => {
  it('a dash loads in ERDDAP: a warning', () => {
    const { status, report } = validate('dash', 'dataset_id: ru34-20240601T1432-delayed,');
    expect(status).toBe(0);
    expect(report.warnings.map((w) => w.code)).toContain('erddap-id-style');
  });

  it('a leading digit is an error, unless an imported record accepts it', () => {
    expect(validate('digit', 'dataset_id: 9qw2-yb2f,').report.errors.map((e) => e.code)).toContain('bad-erddap-id');
    const accepted = validate('accepted', 'dataset_id: 9qw2-yb2f, accept_errors: [bad-erddap-id],');
    expect(accepted.status).toBe(0);
    expect(accepted.report.warnings.map((w) => w.code)).toContain('erddap-id-style');
  });

  it('characters ERDDAP cannot load stay errors even when accepted', () => {
    const { report } = validate('dot', 'dataset_id: a.b, accept_errors: [bad-erddap-id],');
    expect(report.errors.map((e) => e.code)).toContain('bad-erddap-id');
  });
});
