import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { describeWithShared, SHARED } from '../helpers/shared.js';

describeWithShared('the seed record (../shared/catalogs/seed)', () => {
  it('validates as written: exit 0, no errors', () => {
    const result = runCli(['validate', '--catalog', join(SHARED, 'catalogs/seed'), '--format', 'json']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.errors).toEqual([]);
    expect(result.status).toBe(0);
  });
});
