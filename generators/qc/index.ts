// out/qc/<dataset id>.yaml: one ioos_qc config per dataset with QC, always in the explicit
// `contexts:`/`streams:` form (ioos_qc tells its other forms apart by nesting depth, which
// misreads a stream whose tests have no parameters). The k8s chart mounts these files by path.
import type { QcConfig, QcContext } from '../../schemas/qc/check.js';
import type { Dataset } from '../../schemas/catalog.js';
import type { Generator, OutputFile } from '../types.js';
import { emitEntry } from './yaml.js';
import { ropeFile, Text } from '../../core/text.js';

/** Where a dataset's QC config is written; the Kubernetes chart reads it back by this path. */
export function qcConfigPath(dataset: Pick<Dataset, 'id'>): string {
  return `qc/${dataset.id}.yaml`;
}

export const qcGenerator: Generator = {
  name: 'qc',
  // Its renderings get the QC block from the plan, which reads it.
  planReads: { values: ['id', 'qc'] },
  renderReads: ['id'],
  generate(catalog, ctx) {
    const files: OutputFile[] = [];
    for (const dataset of catalog.datasets) {
      const { qc } = dataset;
      if (!qc) continue;
      const content = ctx.perDataset(dataset, () => Text.of(qcConfigText(dataset, qc, catalog.project.qc_version)));
      files.push(ropeFile(qcConfigPath(dataset), [content], [dataset.id]));
    }
    return files;
  },
};

export function qcConfigText(dataset: Pick<Dataset, 'id' | 'source_file'>, config: QcConfig, qcVersion: number): string {
  const lines = [
    `# ioos_qc ${qcVersion}.x config of dataset ${oneLine(dataset.id)}, from ${oneLine(dataset.source_file)}.`,
    '# Written by steller from the catalog: change the catalog, not this file. Load: ioos_qc.config.Config(path).',
    'contexts:',
    ...config.contexts.flatMap(contextLines),
  ];
  return `${lines.join('\n')}\n`;
}

/** One `- window/region/attrs/streams` list item; window first, as in ioos_qc's documentation. */
function contextLines(context: QcContext): string[] {
  const parts: [string, unknown, boolean][] = [];
  if (context.window) parts.push(['window', context.window, true]);
  if (context.region !== undefined) parts.push(['region', context.region, false]);
  if (context.attrs !== undefined) parts.push(['attrs', context.attrs, false]);
  parts.push(['streams', context.streams, true]);
  const lines = parts.flatMap(([key, value, timestamps]) => emitEntry(key, value, '    ', { timestamps }));
  return [`  - ${lines[0].trimStart()}`, ...lines.slice(1)];
}

/** Comments end at a line break: keep a strange file name from starting a YAML line of its own. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}
