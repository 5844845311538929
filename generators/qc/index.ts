// out/qc/<dataset id>.yaml: one ioos_qc config per dataset with QC, always in the explicit
// `contexts:`/`streams:` form (ioos_qc tells its other forms apart by nesting depth, which
// misreads a stream whose tests have no parameters). The k8s chart mounts these files by path.
import type { Dataset } from '../../schemas/catalog.js';
import type { Generator, OutputFile } from '../types.js';
import { qcConfigText } from '../common/qc-config.js';
import { ropeFile, Text } from '../../core/text.js';

/** Where a dataset's QC config is written; the Kubernetes chart reads it back by this path. */
export function qcConfigPath(dataset: Pick<Dataset, 'id'>): string {
  return `qc/${dataset.id}.yaml`;
}

export const qcGenerator: Generator = {
  name: 'qc',
  planReads: { values: ['id'], presence: ['qc'] },
  renderReads: ['id', 'qc'],
  generate(catalog, ctx) {
    const files: OutputFile[] = [];
    for (const dataset of catalog.datasets) {
      if (!('qc' in dataset)) continue;
      const content = ctx.perDataset(dataset, () => Text.of(qcConfigText(dataset, catalog.project.qc_version)));
      files.push(ropeFile(qcConfigPath(dataset), [content], [dataset.id]));
    }
    return files;
  },
};
