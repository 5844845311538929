// Mistakes in what the Kubernetes outputs read are reported at their catalog lines, all at once,
// with a stable code and a hint; nothing throws.
import { describe, expect, it } from 'vitest';
import { projectYaml, renderFiles } from './render.js';

const JOB = 'title: A\nschedule: "H * * * *"\n';

describe('Kubernetes diagnostics', () => {
  it('point at the dataset line for env, resources and flag mistakes', () => {
    const { diagnostics } = renderFiles({
      'steller.yaml': projectYaml(),
      'datasets/a.yaml': `${JOB}secrets:\n  - { env: REGION, key: /ra/region }\nkubernetes:\n  env:\n    STELLER_MODE: fast\n    REGION: us-east-1\n  resources:\n    requests: { cpu: "2" }\n    limits: { cpu: 500m }\n  erddap_flag: true\n`,
    });
    const found = diagnostics.map((d) => [d.code, d.line, d.severity]);
    expect(found).toEqual(expect.arrayContaining([
      ['reserved-env', 7, 'error'],
      ['duplicate-env', 4, 'error'],
      ['request-over-limit', 10, 'error'],
      ['erddap-flag-without-erddap', 12, 'warning'],
    ]));
    for (const d of diagnostics) expect(d.hint, d.code).toBeTruthy();
  });

  it('point at steller.yaml for its own settings', () => {
    const { errors } = renderFiles({
      'steller.yaml': projectYaml({ extra: '' }).replace('  secret_store: parameter-store\n', '  secret_store: Parameter_Store\n  labels: { "team/": x, owner: "not ok!" }\n'),
      'datasets/a.yaml': JOB,
    });
    expect(errors.map((e) => [e.code, e.file])).toEqual(expect.arrayContaining([
      ['bad-secret-store', 'steller.yaml'], ['bad-label', 'steller.yaml'], ['bad-label', 'steller.yaml'],
    ]));
  });

  it('say when a scheduled dataset has nowhere to run', () => {
    const { errors } = renderFiles({
      'steller.yaml': 'name: testing\n',
      'datasets/a.yaml': `${JOB}kubernetes: { image: ghcr.io/example/harvester:1 }\n`,
    });
    expect(errors).toEqual([expect.objectContaining({ code: 'no-job-namespace', file: 'datasets/a.yaml', line: 2 })]);
  });

  it('warn about secrets no job reads', () => {
    const { diagnostics } = renderFiles({ 'steller.yaml': projectYaml(), 'datasets/a.yaml': 'title: A\nsecrets:\n  - { env: KEY, key: /k }\n' });
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'unused-secrets', severity: 'warning', line: 3 })]);
  });
});
