// QC configs reach their jobs through ConfigMaps packed by size: never over 250 KiB of JSON (what
// client-side apply can annotate, well under Kubernetes' 1 MiB), spread by a stable hash so one
// new dataset does not reshuffle the rest.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Reporter } from '../../core/diagnostics.js';
import { SourceIndex } from '../../core/source.js';
import { qcConfigText } from '../../generators/common/qc-config.js';
import { k8sGenerator } from '../../generators/k8s/index.js';
import { datasetFiles, loadFiles, projectYaml } from './render.js';

/** A QC block whose config is about `bytes` long: that many streams with a gross range test each. */
function qcBlock(bytes: number) {
  const streams = Object.fromEntries(Array.from({ length: Math.ceil(bytes / 110) }, (_, i) => [`s_${i}`, { qartod: { gross_range_test: { fail_span: [-5, 40], suspect_span: [0, 30] } } }]));
  return { qartod: { contexts: [{ streams }] } };
}

function generate(ids: string[], bytes: (id: string) => number) {
  const { catalog } = loadFiles({ 'steller.yaml': projectYaml(), ...datasetFiles(Object.fromEntries(ids.map((id) => [id, { qc: qcBlock(bytes(id)) }]))) });
  const report = new Reporter(new SourceIndex());
  const files = k8sGenerator.generate(catalog, { report, inputs: new Map(), perDataset: (_dataset, render, salt = '') => render(salt) });
  const objects = files.filter((f) => !f.path.endsWith('kustomization.yaml'))
    .flatMap((f) => (parseAllDocuments(f.content) as unknown as { toJS(): Record<string, any> }[]).map((d) => ({ file: f.path, object: d.toJS() })));
  return { files, objects, report };
}

const ids = Array.from({ length: 60 }, (_, i) => `station_${i}`);

describe('QC ConfigMaps', () => {
  const { objects, report } = generate(ids, () => 20_000);
  const configMaps = objects.filter((o) => o.object.kind === 'ConfigMap');

  it('hold every config once, each ConfigMap under 250 KiB as JSON', () => {
    expect(report.diagnostics).toEqual([]);
    expect(configMaps.length).toBeGreaterThanOrEqual(5);
    const keys = configMaps.flatMap((c) => Object.keys(c.object.data));
    expect(keys.sort()).toEqual(ids.map((id) => `${id}.yaml`).sort());
    for (const { object } of configMaps) expect(Buffer.byteLength(JSON.stringify(object))).toBeLessThanOrEqual(250 * 1024);
  });

  it("hold each dataset's config as the qc generator writes it", () => {
    const { catalog } = loadFiles({ 'steller.yaml': projectYaml(), ...datasetFiles({ one: { qc: qcBlock(3000) } }) });
    const [dataset] = catalog.datasets;
    const data = generate(['one'], () => 3000).objects.find((o) => o.object.kind === 'ConfigMap')?.object.data;
    expect(data).toEqual({ 'one.yaml': qcConfigText(dataset, catalog.project.qc_version) });
  });

  it('are mounted by each job from the ConfigMap that holds its config', () => {
    const holder = new Map(configMaps.flatMap((c) => Object.keys(c.object.data).map((key) => [key, c.object.metadata.name])));
    for (const { object } of objects.filter((o) => o.object.kind === 'CronJob')) {
      const id = object.metadata.annotations['steller.io/dataset-id'];
      const volume = object.spec.jobTemplate.spec.template.spec.volumes.find((v: any) => v.name === 'qc');
      expect(volume.configMap).toEqual({ name: holder.get(`${id}.yaml`), items: [{ key: `${id}.yaml`, path: 'qc.yaml' }] });
    }
  });

  it('change in one file only when a dataset is added', () => {
    const before = new Map(generate(ids, () => 20_000).files.map((f) => [f.path, f.content]));
    const after = generate([...ids, 'station_new'], () => 20_000).files.filter((f) => f.path.includes('/qc-'));
    const changed = after.filter((f) => before.get(f.path) !== f.content);
    expect(changed.length).toBe(1);
  });

  it('refuse a config too large for any ConfigMap, at the dataset', () => {
    const { report: big } = generate(['small', 'huge'], (id) => (id === 'huge' ? 300_000 : 1000));
    expect(big.diagnostics.map((d) => [d.code, d.file])).toEqual([['qc-config-too-large', 'datasets/huge.yaml']]);
  });
});
