// Every object steller writes under out/k8s and out/argocd, for the example catalog and a
// generated 2,000-dataset one, judged by the target systems' own schemas (judge.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { writeSyntheticCatalog } from '../../bench/synth.js';
import { findCredentials } from '../../core/credentials.js';
import type { OutputFile } from '../../generators/types.js';
import { EXAMPLE_CATALOG } from '../helpers/cli.js';
import { describeWithShared, HAS_SHARED } from '../helpers/shared.js';
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

/**
 * No secret value anywhere in out/: nothing that looks like a credential in any file, no Secret
 * object, and every env var a dataset lists under `secrets:` a secretKeyRef without a value.
 */
function expectNoSecretValues(rendered: Rendered, judged: Judged): void {
  for (const [path, file] of rendered.tree) {
    // The catalog checker's credential patterns, over whole files; its URL-with-password one is anchored, so again unanchored.
    expect(findCredentials(file.content, () => false), path).toEqual([]);
    expect(file.content, path).not.toMatch(/[a-z][a-z0-9+.-]*:\/\/[^/\s:@"]+:[^/\s@"]+@/i);
  }
  expect(judged.objects.filter((o) => o.object.kind === 'Secret')).toEqual([]);
  const secretEnv = new Map((rendered.catalog?.datasets ?? []).map((d) => [d.id, new Set(d.secrets.map((s) => s.env))]));
  let references = 0;
  for (const { object } of judged.objects.filter((o) => o.object.kind === 'CronJob')) {
    const names = secretEnv.get(object.metadata.annotations['steller.io/dataset-id']) ?? new Set();
    for (const env of object.spec.jobTemplate.spec.template.spec.containers[0].env) {
      if (!names.has(env.name)) continue;
      expect(env.value, env.name).toBeUndefined();
      expect(env.valueFrom?.secretKeyRef?.name, env.name).toBeTruthy();
      references++;
    }
  }
  expect(references).toBeGreaterThan(0);
}

describe('the judge', () => {
  const objects: OutputFile[] = [
    { path: 'k8s/ns/a.yaml', content: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: a, namespace: ns }\nspec: { schedul: "* * * * *", jobTemplate: { spec: { template: { spec: { containers: [] } } } } }\n', datasets: [] },
    { path: 'k8s/ns/b.yaml', content: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: Bad_Name, namespace: ns }\ndata: { a: b }\n', datasets: [] },
    { path: 'k8s/ns/c.yaml', content: 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: { name: c, namespace: ns }\nspec: { target: { nam: c } }\n', datasets: [] },
    { path: 'argocd/applications.yaml', content: 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: d, namespace: argocd }\nspec: { project: p, destination: {}, syncPolicy: { automated: { prun: true } } }\n', datasets: [] },
    { path: 'k8s/ns/kustomization.yaml', content: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresourcse: [a.yaml]\n', datasets: [] },
  ];

  it.runIf(HAS_SHARED)('rejects misspelt fields and bad names in every kind it judges', () => {
    const { problems } = judgeTree(objects);
    for (const expected of [/CronJob\/a: .*schedul/, /ConfigMap\/Bad_Name: metadata.name/, /ExternalSecret\/c: .*nam/, /Application\/d: .*prun/, /Kustomization\/: .*resourcse/]) {
      expect(problems.some((p) => expected.test(p)), String(expected)).toBe(true);
    }
  });
});

describeWithShared('Kubernetes and Argo CD outputs of the example catalog', () => {
  const rendered = renderDir(EXAMPLE_CATALOG);
  const judged = judgeTree(rendered.tree.values());

  it('validate against the strict Kubernetes 1.32 schemas, the ESO and Argo CD CRDs, and kubernetes-models', () => {
    expectConformant(rendered, judged);
    const kinds = new Set(judged.objects.map((o) => o.object.kind));
    expect([...kinds].sort()).toEqual(['Application', 'ConfigMap', 'CronJob', 'ExternalSecret', 'Kustomization']);
  });

  it('list every file of a namespace folder in its kustomization.yaml', () => expectKustomizationsComplete(rendered));

  it('hold no secret value, only references', () => expectNoSecretValues(rendered, judged));

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

  it('hold no secret value, only references', () => expectNoSecretValues(rendered, judged));

  it('spread over several files and ConfigMaps within their limits, all listed', () => {
    expectKustomizationsComplete(rendered);
    const harvestFiles = [...rendered.tree.keys()].filter((p) => /^k8s\/[^/]+\/harvest-[0-9a-f]+\.yaml$/.test(p));
    expect(harvestFiles.length).toBeGreaterThan(1);
    for (const { object } of judged.objects.filter((o) => o.object.kind === 'ConfigMap')) {
      expect(Buffer.byteLength(JSON.stringify(object))).toBeLessThanOrEqual(250 * 1024);
    }
  });
});
