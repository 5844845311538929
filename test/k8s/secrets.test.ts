// Secrets by reference only: ExternalSecrets with a secret store, secretKeyRef to a Secret the
// platform keeps without one; mistakes reported at their catalog lines.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { OutputTree } from '../../core/build.js';
import { datasetFiles, projectYaml, renderFiles } from './render.js';

function objects(tree: OutputTree, kind: string): Record<string, any>[] {
  return [...tree].filter(([path]) => path.startsWith('k8s/') && !path.endsWith('kustomization.yaml'))
    .flatMap(([, file]) => (parseAllDocuments(file.content) as unknown as { toJS(): Record<string, any> }[]).map((d) => d.toJS()))
    .filter((o) => o.kind === kind);
}

function envOf(tree: OutputTree, id: string): Record<string, any>[] {
  const job = objects(tree, 'CronJob').find((o) => o.metadata.annotations['steller.io/dataset-id'] === id);
  return job?.spec.jobTemplate.spec.template.spec.containers[0].env;
}

const DATASETS = datasetFiles({
  tide_a: { secrets: [{ env: 'API_KEY', key: '/ra/coops/api_key', secret: 'coops-api' }] },
  tide_b: { secrets: [{ env: 'API_KEY', key: '/ra/coops/api_key', secret: 'coops-api' }, { env: 'TOKEN_B', key: '/ra/b/token' }] },
  Hohonu_1: { secrets: [{ env: 'HOHONU_KEY', key: '/ra/hohonu', property: 'api_key' }] },
});

describe('with a secret store', () => {
  const { tree, errors } = renderFiles({ 'steller.yaml': projectYaml(), ...DATASETS });
  const externalSecrets = new Map(objects(tree, 'ExternalSecret').map((o) => [o.metadata.name, o]));

  it('makes an ExternalSecret per dataset, and one per shared `secret:` name', () => {
    expect(errors).toEqual([]);
    expect([...externalSecrets.keys()].sort()).toEqual(['coops-api', 'hohonu-1-secrets', 'tide-b-secrets']);
    expect(externalSecrets.get('hohonu-1-secrets')?.spec).toMatchObject({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'parameter-store' },
      target: { name: 'hohonu-1-secrets', creationPolicy: 'Owner' },
      data: [{ secretKey: 'HOHONU_KEY', remoteRef: { key: '/ra/hohonu', property: 'api_key' } }],
    });
    expect(externalSecrets.get('coops-api')?.spec.data).toEqual([
      { secretKey: 'API_KEY', remoteRef: { key: '/ra/coops/api_key', conversionStrategy: 'Default', decodingStrategy: 'None', metadataPolicy: 'None' } },
    ]);
    expect(tree.get('k8s/harvest/secrets-shared.yaml')?.datasets).toEqual(['tide_a', 'tide_b']);
  });

  it('gives the job each secret as a secretKeyRef, never a value', () => {
    expect(envOf(tree, 'tide_b').filter((e) => e.valueFrom)).toEqual([
      { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'coops-api', key: 'API_KEY' } } },
      { name: 'TOKEN_B', valueFrom: { secretKeyRef: { name: 'tide-b-secrets', key: 'TOKEN_B' } } },
    ]);
    expect(objects(tree, 'Secret')).toEqual([]);
  });

  it('reports a shared secret mapped two ways at the later dataset', () => {
    const { errors: conflict } = renderFiles({
      'steller.yaml': projectYaml(),
      ...datasetFiles({ a: { secrets: [{ env: 'KEY', key: '/one', secret: 'shared' }] }, b: { secrets: [{ env: 'KEY', key: '/two', secret: 'shared' }] } }),
    });
    expect(conflict).toEqual([expect.objectContaining({ code: 'conflicting-shared-secret', file: 'datasets/b.yaml' })]);
  });
});

describe('without a secret store', () => {
  it('refers to the named Secret, or the dataset own, by the key given', () => {
    const { tree, errors } = renderFiles({
      'steller.yaml': projectYaml({ store: false }),
      ...datasetFiles({ a: { secrets: [{ env: 'API_KEY', key: 'api-key' }, { env: 'OTHER', key: 'token', secret: 'shared-creds' }] } }),
    });
    expect(errors).toEqual([]);
    expect(objects(tree, 'ExternalSecret')).toEqual([]);
    expect(envOf(tree, 'a').filter((e) => e.valueFrom)).toEqual([
      { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'a-secrets', key: 'api-key' } } },
      { name: 'OTHER', valueFrom: { secretKeyRef: { name: 'shared-creds', key: 'token' } } },
    ]);
  });

  it('reports a store path used as a Secret key, at its line', () => {
    const { errors } = renderFiles({
      'steller.yaml': projectYaml({ store: false }),
      'datasets/a.yaml': 'title: A\nschedule: "H * * * *"\nsecrets:\n  - env: API_KEY\n    key: /ra/coops/api_key\n',
    });
    expect(errors).toEqual([expect.objectContaining({ code: 'bad-secret-key', file: 'datasets/a.yaml', line: 5, col: 10 })]);
  });
});

describe('a value pasted where a reference belongs', () => {
  it('is an error at its line, under either mode', () => {
    for (const store of [true, false]) {
      const { errors } = renderFiles({
        'steller.yaml': projectYaml({ store }),
        'datasets/a.yaml': 'title: A\nschedule: "H * * * *"\nsecrets:\n  - env: AWS_ACCESS_KEY_ID\n    key: AKIAIOSFODNN7EXAMPLE\n',
      });
      expect(errors).toEqual([expect.objectContaining({ code: 'inline-secret', file: 'datasets/a.yaml', line: 5 })]);
    }
  });
});
