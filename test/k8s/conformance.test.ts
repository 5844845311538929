// Every object steller writes under out/k8s and out/argocd, for the example catalog and a
// generated 2,000-dataset one, judged by the target systems' own schemas (judge.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { writeSyntheticCatalog } from '../../bench/synth.js';
import { EXAMPLE_CATALOG } from '../helpers/cli.js';
import { describeWithShared } from '../helpers/shared.js';
import { judgeTree, type Judged } from './judge.js';
import { renderDir, type Rendered } from './render.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function expectConformant(rendered: Rendered, judged: Judged): void {
  expect(rendered.errors).toEqual([]);
  expect(judged.problems).toEqual([]);
  const cronJobs = judged.objects.filter((o) => o.object.kind === 'CronJob').map((o) => o.object.metadata.name as string);
  const scheduled = rendered.catalog?.datasets.filter((d) => d.schedule !== undefined) ?? [];
  expect(cronJobs).toHaveLength(scheduled.length);
  for (const name of cronJobs) {
    expect(name.length, name).toBeLessThanOrEqual(52);
    expect(name, name).toMatch(DNS_LABEL);
  }
  // One name per object in a namespace, whatever the kind.
  const names = judged.objects.filter((o) => o.object.metadata?.namespace).map((o) => `${o.object.metadata.namespace}/${o.object.metadata.name}`);
  expect(new Set(names).size).toBe(names.length);
}

/** Each folder's kustomization.yaml lists exactly the other files of that folder. */
function expectKustomizationsComplete(rendered: Rendered): void {
  const folders = new Set([...rendered.tree.keys()].filter((p) => p.startsWith('k8s/')).map((p) => p.slice(0, p.lastIndexOf('/'))));
  expect(folders.size).toBeGreaterThan(0);
  for (const folder of folders) {
    const kustomization = rendered.tree.get(`${folder}/kustomization.yaml`);
    expect(kustomization, folder).toBeDefined();
    const listed = (parseAllDocuments(kustomization?.content ?? '') as unknown as { toJS(): { resources: string[] } }[])[0].toJS().resources;
    const present = [...rendered.tree.keys()].filter((p) => p.startsWith(`${folder}/`) && !p.endsWith('/kustomization.yaml')).map((p) => p.slice(folder.length + 1));
    expect([...listed].sort()).toEqual(present.sort());
  }
}

describeWithShared('Kubernetes and Argo CD outputs of the example catalog', () => {
  const rendered = renderDir(EXAMPLE_CATALOG);
  const judged = judgeTree(rendered.tree.values());

  it('validate against the strict Kubernetes 1.32 schemas, the ESO and Argo CD CRDs, and kubernetes-models', () => {
    expectConformant(rendered, judged);
    const kinds = new Set(judged.objects.map((o) => o.object.kind));
    expect([...kinds].sort()).toEqual(['Application', 'ConfigMap', 'CronJob', 'ExternalSecret', 'Kustomization']);
  });

  it('list every file of a namespace folder in its kustomization.yaml', () => expectKustomizationsComplete(rendered));

  it('have an Application for the namespace folder and for each deployed ERDDAP/THREDDS folder that exists', () => {
    const apps = judged.objects.filter((o) => o.object.kind === 'Application').map((o) => o.object.spec.source.path as string);
    const deployed = ['erddap/data', 'thredds/data'].filter((folder) => [...rendered.tree.keys()].some((p) => p.startsWith(`${folder}/`) && !p.endsWith('kustomization.yaml')));
    expect(apps.sort()).toEqual(['k8s/sea-eagle', ...deployed].sort());
  });
});

describeWithShared('Kubernetes and Argo CD outputs of a 2,000-dataset catalog', () => {
  let dir: string;
  let rendered: Rendered;
  let judged: Judged;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'steller-k8s-2000-'));
    writeSyntheticCatalog(join(dir, 'catalog'), { datasets: 2000 });
    rendered = renderDir(join(dir, 'catalog'));
    judged = judgeTree(rendered.tree.values());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('validate, with names unique, at most 52 characters and DNS-1123', () => expectConformant(rendered, judged));

  it('spread over several files and ConfigMaps within their limits, all listed', () => {
    expectKustomizationsComplete(rendered);
    const harvestFiles = [...rendered.tree.keys()].filter((p) => /^k8s\/[^/]+\/harvest-[0-9a-f]+\.yaml$/.test(p));
    expect(harvestFiles.length).toBeGreaterThan(1);
    for (const { object } of judged.objects.filter((o) => o.object.kind === 'ConfigMap')) {
      expect(Buffer.byteLength(JSON.stringify(object))).toBeLessThanOrEqual(250 * 1024);
    }
  });
});
