// The text of a dataset's ioos_qc config: out/qc/<id>.yaml, and the same text in the ConfigMap
// the dataset's harvest job mounts (generators/k8s). Both render it from the dataset.
import type { Dataset } from '../../schemas/catalog.js';
import type { QcContext } from '../../schemas/qc/check.js';
import { emitEntry } from './qc-yaml.js';

/** The config of a dataset with `qc`; always in the explicit `contexts:`/`streams:` form. */
export function qcConfigText(dataset: Pick<Dataset, 'id' | 'source_file' | 'qc'>, qcVersion: number): string {
  const config = dataset.qc;
  if (!config) throw new Error(`dataset ${dataset.id} has no QC config`);
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
