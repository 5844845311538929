// QC configs reach their jobs through ConfigMaps packed by size: never over 250 KiB of JSON (what
// client-side apply can annotate, well under Kubernetes' 1 MiB), spread by a stable hash so one
// new dataset does not reshuffle the rest. The qc generator's files are faked here.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Reporter } from '../../core/diagnostics.js';
import { SourceIndex } from '../../core/source.js';
import { k8sGenerator } from '../../generators/k8s/index.js';
import type { OutputFile } from '../../generators/types.js';
import { datasetFiles, loadFiles, projectYaml } from './render.js';

/** A QC config of about `bytes`, with the quotes and newlines that JSON escaping inflates. */
function qcText(id: string, bytes: number): string {
  const line = `# "${id}" gross_range_test: { fail_span: [-5, 40], "suspect_span": [0, 30] }\n`;
  return line.repeat(Math.ceil(bytes / line.length));
}

function generate(ids: string[], bytes: (id: string) => number) {
  const { catalog } = loadFiles({ 'steller.yaml': projectYaml(), ...datasetFiles(Object.fromEntries(ids.map((id) => [id, {}]))) });
  const inputs = new Map<string, OutputFile>(ids.map((id) => [`qc/${id}.yaml`, { path: `qc/${id}.yaml`, content: qcText(id, bytes(id)), datasets: [id] }]));
  const report = new Reporter(new SourceIndex());
  const files = k8sGenerator.generate(catalog, { report, inputs, perDataset: (_dataset, render, salt = '') => render(salt) });
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
