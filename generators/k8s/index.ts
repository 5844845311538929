// out/k8s/<namespace>/: the harvest CronJobs, the ConfigMaps holding their QC configs (the text of
// out/qc/<id>.yaml, rendered from the dataset by generators/common/qc-config.ts, as the qc
// generator renders it) and their ExternalSecrets, synthesized by the cdk8s charts in charts/,
// checked, and laid out by steller (names, files, kustomization). Each job and each ConfigMap
// entry is rendered from its dataset alone, so an unchanged dataset is reused from the last build;
// what needs the whole catalog (names, ConfigMap packing, shared secrets) is planned first.
import { App } from 'cdk8s';
import type { Reporter } from '../../core/diagnostics.js';
import { PROJECT_FILE } from '../../core/load.js';
import type { Catalog, Dataset } from '../../schemas/catalog.js';
import { manifestProblems, planNameProblems, type Manifest, type ManifestProblem } from '../../charts/checks.js';
import { SharedChart } from '../../charts/harvest-chart.js';
import { fillNames, qcKey, renderJob, type JobNames } from '../../charts/harvest-job.js';
import { planHarvest } from '../../charts/harvest-plan.js';
import { qcShare, type QcShare } from '../../charts/qc-configmaps.js';
import { namespaceFiles } from '../../charts/manifest-files.js';
import { datasetRef, type Generator } from '../types.js';
import { Text } from '../../core/text.js';

export const k8sGenerator: Generator = {
  name: 'k8s',
  planReads: { values: ['id', 'secrets'], presence: ['schedule', 'qc'] },
  renderReads: ['id', 'kubernetes', 'qc', 'retry', 'schedule', 'secrets', 'source', 'time_zone'],
  // A job flags its datasets on ERDDAP after a good harvest when asked to (charts/harvest-job.ts).
  renderReadsWhen: [{ when: 'kubernetes.erddap_flag', reads: ['services.erddap'] }],
  generate(catalog, ctx) {
    const k8s = catalog.project.kubernetes;
    // Each QC config as its ConfigMap entry: the plan packs them by their (rounded) sizes.
    const qcShares = new Map<string, QcShare>();
    const qcShareOf = (dataset: Dataset): QcShare => {
      // A salt of its own: fragments of one dataset are told apart by salt, and a job whose QC is not mounted has ''.
      const share = ctx.perDataset(dataset, () => qcShare(dataset, qcKey(dataset), catalog.project.qc_version, ctx.report), 'qc entry');
      qcShares.set(dataset.id, share);
      return share;
    };
    const plan = planHarvest(catalog, qcShareOf, ctx.report);
    if (!plan || !k8s) return [];
    // Two memos: the job with placeholder names (what cdk8s renders), and with this plan's names.
    // Whether the plan put its QC config in a ConfigMap decides the mount: salt of the first.
    const jobTexts = plan.jobs.map(({ dataset, names }) => ctx.perDataset(dataset, (salt) => {
      const planned = JSON.parse(salt) as JobNames;
      const rendered = ctx.perDataset(dataset, (qc) => Text.of(renderJob(catalog, k8s, dataset, qc === 'mounted', ctx.report).yaml), planned.qc !== undefined ? 'mounted' : '');
      return Text.of(fillNames({ yaml: rendered.toString() }, planned));
    }, JSON.stringify(names)));
    const shared = new SharedChart(new App(), plan).toJson() as Manifest[];
    reportProblems(catalog, [...planNameProblems(plan), ...manifestProblems(shared)], plan.jobs.map((j) => [j.names.job, j.dataset.id]), ctx.report);
    return namespaceFiles(plan, jobTexts, shared, (id) => (qcShares.get(id) as QcShare).yaml);
  },
};

/** Problems with namespace-wide objects, at the dataset they concern when there is one. */
function reportProblems(catalog: Catalog, problems: readonly ManifestProblem[], jobDatasets: [name: string, id: string][], report: Reporter): void {
  if (problems.length === 0) return;
  const datasets = new Map(catalog.datasets.map((d) => [d.id, d]));
  const byJobName = new Map(jobDatasets);
  for (const problem of problems) {
    const dataset = datasets.get(byJobName.get(problem.object.slice(problem.object.indexOf('/') + 1)) ?? '');
    report.error('invalid-k8s-object', `${problem.object}: ${problem.message}`, dataset ? datasetRef(dataset) : { file: PROJECT_FILE, path: ['kubernetes'] },
      'steller made an object Kubernetes would reject: please report this with the catalog');
  }
}
