// What a harvest CronJob holds: the spread of `H` schedules, the settings the issue lists, and
// cdk8s-plus's defaults replaced by explicit, canonical values.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { cronProblems, expandHashedCron } from '../../core/cron.js';
import type { OutputTree } from '../../core/build.js';
import { renderExample } from '../helpers/catalog.js';
import { datasetFiles, projectYaml, renderFiles } from './render.js';

/** Every Kubernetes object under k8s/, parsed. */
function k8sObjects(tree: OutputTree): Record<string, any>[] {
  return [...tree].filter(([path]) => path.startsWith('k8s/') && !path.endsWith('kustomization.yaml'))
    .flatMap(([, file]) => (parseAllDocuments(file.content) as unknown as { toJS(): Record<string, any> }[]).map((d) => d.toJS()));
}

function cronJobs(tree: OutputTree): Map<string, Record<string, any>> {
  return new Map(k8sObjects(tree).filter((o) => o.kind === 'CronJob').map((o) => [o.metadata.annotations['steller.io/dataset-id'], o]));
}

const hundred = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`coops_${8410000 + i * 137}`, { schedule: 'H/6 * * * *' }]));

describe('H schedules', () => {
  const first = renderFiles({ 'steller.yaml': projectYaml(), ...datasetFiles(hundred) });
  const jobs = cronJobs(first.tree);

  it('spread 100 `H/6 * * * *` datasets over at least 5 of the 6 minutes', () => {
    expect(first.errors).toEqual([]);
    expect(jobs.size).toBe(100);
    const starts = new Set<string>();
    for (const job of jobs.values()) {
      const schedule = job.spec.schedule as string;
      expect(schedule).toMatch(/^[0-5]-59\/6 \* \* \* \*$/);
      expect(cronProblems(schedule)).toEqual([]);
      starts.add(schedule.split('-')[0]);
      expect(job.metadata.annotations['steller.io/schedule']).toBe('H/6 * * * *');
    }
    expect(starts.size).toBeGreaterThanOrEqual(5);
  });

  it('give the same minutes for the same catalog', () => {
    const again = cronJobs(renderFiles({ 'steller.yaml': projectYaml(), ...datasetFiles(hundred) }).tree);
    expect(new Map([...again].map(([id, job]) => [id, job.spec.schedule]))).toEqual(new Map([...jobs].map(([id, job]) => [id, job.spec.schedule])));
  });

  it('expand H over named ranges too, as the schedule check accepts them', () => {
    for (let i = 0; i < 50; i++) {
      const [, , , month, weekday] = expandHashedCron('0 6 1 H(JAN-MAR) H(MON-FRI)', `d${i}`).split(' ');
      expect(Number(month)).toBeGreaterThanOrEqual(1);
      expect(Number(month)).toBeLessThanOrEqual(3);
      expect(Number(weekday)).toBeGreaterThanOrEqual(1);
      expect(Number(weekday)).toBeLessThanOrEqual(5);
    }
  });

  it('leave plain cron as written', () => {
    const plain = cronJobs(renderFiles({ 'steller.yaml': projectYaml(), ...datasetFiles({ daily: { schedule: '30 2 * * 1-5' }, hourly: { schedule: '@hourly' } }) }).tree);
    expect(plain.get('daily')?.spec.schedule).toBe('30 2 * * 1-5');
    expect(plain.get('hourly')?.spec.schedule).toBe('@hourly');
  });
});

describe('a harvest CronJob (the example catalog)', () => {
  const { tree, catalog } = renderExample();
  const jobs = cronJobs(tree);
  const ports = jobs.get('PORTS_CC_realtime') as Record<string, any>;
  const pod = ports.spec.jobTemplate.spec.template.spec;
  const container = pod.containers[0];

  it('has one CronJob per scheduled dataset, none for the others', () => {
    expect([...jobs.keys()].sort()).toEqual(catalog.datasets.filter((d) => d.schedule !== undefined).map((d) => d.id).sort());
  });

  it('runs the image with arguments naming the dataset, one at a time, in the dataset time zone', () => {
    expect(container.image).toBe('ghcr.io/gulfofmaine/harvester:1.4.2');
    expect(container.args).toEqual(['--dataset', 'PORTS_CC_realtime']);
    expect(ports.spec).toMatchObject({ concurrencyPolicy: 'Forbid', timeZone: 'UTC', startingDeadlineSeconds: 300, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, suspend: false });
    expect(ports.metadata.annotations['steller.io/dataset-id']).toBe('PORTS_CC_realtime');
    expect(ports.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'harvest', 'app.kubernetes.io/part-of': 'neracoos', 'app.kubernetes.io/instance': ports.metadata.name });
  });

  it('retries as the retry policy says, and tells the job the back-off it cannot express', () => {
    expect(ports.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 3600 });
    const env = Object.fromEntries(container.env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ STELLER_DATASET_ID: 'PORTS_CC_realtime', STELLER_RETRY_MAX_RETRIES: '3', STELLER_RETRY_DELAY_SECONDS: '120', STELLER_RETRY_BACKOFF: 'exponential', STELLER_RETRY_JITTER: 'plus_minus' });
  });

  it('mounts its QC config at a fixed path from the ConfigMap holding it', () => {
    const volume = pod.volumes.find((v: any) => v.name === 'qc');
    expect(volume.configMap.items).toEqual([{ key: 'PORTS_CC_realtime.yaml', path: 'qc.yaml' }]);
    expect(container.volumeMounts).toContainEqual({ name: 'qc', mountPath: '/etc/steller/qc', readOnly: true });
    expect(container.env).toContainEqual({ name: 'STELLER_QC_CONFIG', value: '/etc/steller/qc/qc.yaml' });
    const configMap = k8sObjects(tree).find((o) => o.kind === 'ConfigMap' && o.metadata.name === volume.configMap.name);
    expect(configMap?.data['PORTS_CC_realtime.yaml']).toBe(tree.get('qc/PORTS_CC_realtime.yaml')?.content);
  });

  it('replaces cdk8s-plus defaults with explicit values: resources, pull policy, no construct-address label', () => {
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } });
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    for (const job of jobs.values()) expect(JSON.stringify(job)).not.toContain('cdk8s.io/metadata.addr');
  });

  it('runs as non-root on a read-only root, never restarting a failed pod in place', () => {
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('tells a job with erddap_flag which flag URL to touch, leaving the flagKey to a secret', () => {
    const hohonu = jobs.get('hohonu_saugus')?.spec.jobTemplate.spec.template.spec.containers[0];
    expect(hohonu.env).toContainEqual({ name: 'STELLER_ERDDAP_FLAG_URLS', value: 'https://data.neracoos.org/erddap/setDatasetFlag.txt?datasetID=hohonu_saugus' });
  });
});
