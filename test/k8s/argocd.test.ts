// Argo CD: an Application per deployable folder, with the sync settings of steller.yaml (generators/
// argocd), and a kustomization.yaml that turns each deployed ERDDAP/THREDDS folder into a
// ConfigMap (generators/deploy).
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { Reporter } from '../../core/diagnostics.js';
import { SourceIndex } from '../../core/source.js';
import { argocdGenerator } from '../../generators/argocd/index.js';
import { deployGenerator } from '../../generators/deploy/index.js';
import type { OutputFile } from '../../generators/types.js';
import { datasetFiles, loadFiles, projectYaml } from './render.js';

function generate(project: string, files: Record<string, string>) {
  const { catalog } = loadFiles({ 'steller.yaml': project, ...datasetFiles({ a: {} }) });
  const inputs = new Map<string, OutputFile>(Object.entries(files).map(([path, content]) => [path, { path, content, datasets: ['a'] }]));
  const report = new Reporter(new SourceIndex());
  const ctx = { report, inputs, perDataset: <T>(_d: unknown, render: (salt: string) => T, salt = '') => render(salt) };
  const out = new Map([...deployGenerator.generate(catalog, ctx), ...argocdGenerator.generate(catalog, ctx)].map((f) => [f.path, f.content]));
  const apps = (parseAllDocuments(out.get('argocd/applications.yaml') ?? '') as unknown as { toJS(): Record<string, any> }[]).map((d) => d.toJS());
  return { out, apps, report };
}

const TREE = {
  'k8s/harvest/harvest.yaml': 'kind: CronJob\n',
  'k8s/harvest/kustomization.yaml': 'kind: Kustomization\n',
  'erddap/data/datasets.xml': '<erddapDatasets/>\n',
  'thredds/tds/catalog.xml': '<catalog/>\n',
  'thredds/tds/ports/catalog.xml': '<catalog/>\n',
};
const THREDDS = '  thredds:\n    tds: { url: https://data.example.org/thredds/, deploy: { namespace: thredds, server: https://other.example.org:6443 } }\n';

describe('Argo CD Applications', () => {
  const { apps, out } = generate(projectYaml().replace('kubernetes:', `${THREDDS}kubernetes:`), TREE);
  const byPath = new Map<string, Record<string, any>>(apps.map((a) => [a.spec.source.path, a]));

  it('one per namespace folder and per deployed config folder, automated with prune and self-heal', () => {
    expect([...byPath.keys()].sort()).toEqual(['erddap/data', 'k8s/harvest', 'thredds/tds']);
    const harvest = byPath.get('k8s/harvest') as Record<string, any>;
    expect(harvest.metadata).toMatchObject({ name: 'testing-k8s-harvest', namespace: 'argocd' });
    expect(harvest.spec).toMatchObject({
      project: 'default',
      source: { repoURL: 'https://git.example.org/service-config.git', targetRevision: 'HEAD', path: 'k8s/harvest' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'harvest' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    expect(harvest.spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['CreateNamespace=true', 'ServerSideApply=true']));
  });

  it('send a config folder to the namespace and cluster its deploy names', () => {
    expect(byPath.get('thredds/tds')?.spec.destination).toEqual({ server: 'https://other.example.org:6443', namespace: 'thredds' });
    expect(byPath.get('erddap/data')?.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'erddap' });
  });

  it('make each deployed config folder one ConfigMap, nested files under flat keys', () => {
    expect(parse(out.get('thredds/tds/kustomization.yaml') ?? '')).toMatchObject({
      namespace: 'thredds',
      generatorOptions: { disableNameSuffixHash: true },
      configMapGenerator: [{ name: 'thredds-tds-config', files: ['catalog.xml', 'ports__catalog.xml=ports/catalog.xml'] }],
    });
    expect(parse(out.get('erddap/data/kustomization.yaml') ?? '').configMapGenerator).toEqual([{ name: 'erddap-data-config', files: ['datasets.xml'] }]);
  });
});

describe('Argo CD settings', () => {
  it('follow steller.yaml sync settings, keeping server-side apply for config folders', () => {
    const project = projectYaml({ extra: '  sync: { automated: false, create_namespace: false, server_side_apply: false }\n  namespace: gitops\n' });
    const { apps } = generate(project, TREE);
    const harvest = apps.find((a) => a.spec.source.path === 'k8s/harvest') as Record<string, any>;
    expect(harvest.metadata.namespace).toBe('gitops');
    expect(harvest.spec.syncPolicy.automated).toBeUndefined();
    expect(harvest.spec.syncPolicy.syncOptions).not.toContain('CreateNamespace=true');
    expect(harvest.spec.syncPolicy.syncOptions).not.toContain('ServerSideApply=true');
    expect(apps.find((a) => a.spec.source.path === 'erddap/data')?.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
  });

  it('without `argocd:` write no Applications, but still make deployed folders kustomizable', () => {
    const { out } = generate(projectYaml().replace(/argocd:\n.*\n/, ''), TREE);
    expect(out.has('argocd/applications.yaml')).toBe(false);
    expect(out.has('erddap/data/kustomization.yaml')).toBe(true);
  });

  it('give two servers deployed to one namespace ConfigMaps of their own, even when their keys sanitize alike', () => {
    const servers = '    a.b: { url: https://one.example.org/erddap/, deploy: { namespace: erddap } }\n    a_b: { url: https://two.example.org/erddap/, deploy: { namespace: erddap } }\n';
    const { out } = generate(projectYaml().replace('  erddap:\n', `  erddap:\n${servers}`), { 'erddap/a.b/datasets.xml': '<a/>', 'erddap/a_b/datasets.xml': '<b/>' });
    const names = ['erddap/a.b', 'erddap/a_b'].map((folder) => parse(out.get(`${folder}/kustomization.yaml`) ?? '').configMapGenerator[0].name);
    expect(names[0]).toBe('erddap-a-b-config');
    expect(names[1]).toMatch(/^erddap-a-b-config-[0-9a-f]{6}$/);
  });

  it('warn when a deployed config is too large for a ConfigMap', () => {
    const { report } = generate(projectYaml(), { ...TREE, 'erddap/data/datasets.xml': 'x'.repeat(1024 * 1024 + 1) });
    expect(report.diagnostics).toEqual([expect.objectContaining({ code: 'deploy-config-too-large', severity: 'warning', file: 'steller.yaml' })]);
  });
});
