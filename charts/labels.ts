// Labels and annotations every object steller writes carries. Dataset ids may hold `_`, `.` and
// capitals and be long, so they go in an annotation; labels carry the derived, valid names.
import { isDnsSubdomain } from './names.js';

export const MANAGED_BY = 'steller';
/** Annotation keys steller writes (the prefix is a DNS subdomain, as Kubernetes asks). */
export const ANNOTATIONS = {
  datasetId: 'steller.io/dataset-id',
  sourceFile: 'steller.io/source-file',
  schedule: 'steller.io/schedule',
} as const;

export type Labels = Record<string, string>;

/** The recommended `app.kubernetes.io/*` labels; user labels from steller.yaml go under them (ours win). */
export function standardLabels(partOf: string, name: string, instance: string | undefined, extra: Labels = {}): Labels {
  return {
    ...extra,
    ...(instance !== undefined ? { 'app.kubernetes.io/instance': instance } : {}),
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': partOf,
  };
}

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** What is wrong with a label key (a qualified name: optional DNS-subdomain prefix, `/`, a name of ≤ 63). */
function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return `the prefix "${prefix}" is not a DNS subdomain (lowercase letters, digits, - and .)`;
  if (name.length > 63 || !LABEL_NAME.test(name)) return `"${name}" must be at most 63 letters, digits, - _ . starting and ending with a letter or digit`;
  return undefined;
}

function labelValueProblem(value: string): string | undefined {
  if (value === '' || (value.length <= 63 && LABEL_NAME.test(value))) return undefined;
  return `"${value}" must be empty or at most 63 letters, digits, - _ . starting and ending with a letter or digit`;
}

/** steller.yaml's `kubernetes.labels` that Kubernetes accepts (the others are reported by `labelProblem`). */
export function validLabels(labels: Record<string, string> = {}): Labels {
  return Object.fromEntries(Object.entries(labels).filter(([key, value]) => labelProblem(key, value) === undefined));
}

export function labelProblem(key: string, value: string): string | undefined {
  return labelKeyProblem(key) ?? labelValueProblem(value);
}
