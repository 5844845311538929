// What kind of output a file of the tree is, for the summary: its label and the word its
// datasets are counted in ("ERDDAP data: +2 datasets", "CKAN catalog: +2 records"). Kubernetes
// manifests are counted per object kind instead ("CronJobs in sea-eagle: +2"; see compare.ts).

export interface OutputKind {
  label: string;
  /** The word after the first count; empty when the label already names what is counted. */
  unit: string;
}

const BY_SERVER: Record<string, { system: string; unit: string }> = {
  erddap: { system: 'ERDDAP', unit: 'datasets' },
  thredds: { system: 'THREDDS', unit: 'datasets' },
  ckan: { system: 'CKAN', unit: 'records' },
};

/** The kind of the file at `path` (undefined for the lock file, which is not an output). */
export function outputKind(path: string): OutputKind | undefined {
  const segments = path.split('/');
  if (segments.length === 1) return segments[0] === 'steller.lock.json' ? undefined : { label: path, unit: 'datasets' };
  const [top, second] = segments;
  const server = BY_SERVER[top];
  if (server && segments.length > 2) return { label: `${server.system} ${second}`, unit: server.unit };
  if (top === 'qc') return { label: 'QC configs', unit: '' };
  if (top === 'argocd') return { label: 'Argo CD Applications', unit: '' };
  if (top === 'k8s' && segments.length > 2) return { label: `Kubernetes ${second}`, unit: 'datasets' };
  return { label: top, unit: 'datasets' };
}
