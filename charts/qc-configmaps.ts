// Packing the ioos_qc configs (out/qc/<id>.yaml) into ConfigMaps. Kubernetes caps a ConfigMap at
// 1 MiB, but `kubectl apply` and Argo CD's default client-side apply also copy the whole object
// into the `last-applied-configuration` annotation, and annotations are capped at 262,144 bytes
// (research: gitops.md §0.1). Packing to 250 KiB of JSON works with every way of applying (client-
// or server-side, Argo CD or kubectl) at the price of a few more ConfigMaps, so steller does that
// whether or not the Applications use ServerSideApply.
import { compareStrings, type Reporter } from '../core/diagnostics.js';
import { Text } from '../core/text.js';
import { qcConfigText } from '../generators/common/qc-config.js';
import { datasetRef } from '../generators/types.js';
import type { Dataset } from '../schemas/catalog.js';
import { bucketHash, groupByBucket, powerOfTwoAtLeast } from './buckets.js';
import { yamlEntry } from './yaml.js';

/** The whole ConfigMap as JSON (what the annotation would hold) stays under this. */
export const QC_CONFIGMAP_MAX_BYTES = 250 * 1024;
/** Room kept for metadata (name, namespace, labels) and for other annotations next to last-applied. */
const METADATA_ALLOWANCE = 4 * 1024;
export const QC_DATA_BUDGET = QC_CONFIGMAP_MAX_BYTES - METADATA_ALLOWANCE;
/**
 * Entries are packed by their size rounded up to a multiple of this, not by their exact size: a
 * changed QC threshold seldom moves a config to another step, so the packing (part of the plan)
 * stays as it was and the rebuild can be a patch (core/patch.ts), at the price of at most 255
 * bytes of slack per entry. The budget is a multiple of it, so an entry fits exactly when its
 * rounded size does.
 */
export const QC_SIZE_STEP = 256;
/** Past this many buckets something is wrong with the hash, not the catalog. */
const MAX_BUCKETS = 1 << 20;

export interface QcEntry {
  datasetId: string;
  /** The ConfigMap key (and the file name the job sees before it is mapped to a fixed path). */
  key: string;
  /** Its size as packed: `entryBytes`, rounded up to a QC_SIZE_STEP. */
  bytes: number;
}

/** What one entry adds to the ConfigMap's JSON: `"key":"escaped content",`. */
export function entryBytes(key: string, content: string): number {
  return Buffer.byteLength(JSON.stringify(key)) + Buffer.byteLength(JSON.stringify(content)) + 2;
}

export function packedSize(bytes: number): number {
  return Math.ceil(bytes / QC_SIZE_STEP) * QC_SIZE_STEP;
}

/** A dataset's QC config as a ConfigMap entry: its key, its packed size, and its lines under `data:`. */
export interface QcShare {
  key: string;
  bytes: number;
  yaml: Text;
}

/** The entry of a dataset with `qc` (reports one too large for any ConfigMap). */
export function qcShare(dataset: Dataset, key: string, qcVersion: number, report: Reporter): QcShare {
  const content = qcConfigText(dataset, qcVersion);
  const bytes = entryBytes(key, content);
  if (bytes > QC_DATA_BUDGET) {
    report.error('qc-config-too-large', `the QC config of ${dataset.id} is ${bytes} bytes as JSON; a ConfigMap steller writes holds at most ${QC_CONFIGMAP_MAX_BYTES}`, datasetRef(dataset, ['qc']),
      'split the dataset, or use fewer QC contexts/streams');
  }
  // One line of YAML built directly, not through the manifest writer: 6,000 long-lived entries
  // made by the writer made V8 keep the job manifests' garbage in old space (measured at 10,000
  // datasets: 450 MB more at peak, and the jobs rendered in twice the time).
  return { key, bytes: packedSize(bytes), yaml: Text.of(yamlEntry(key, content, 2)) };
}

export interface QcPacking {
  /** Number of buckets (a power of two); a ConfigMap per non-empty bucket. */
  bucketCount: number;
  /** Entries by bucket index, non-empty buckets only, in bucket order; entries sorted by key. */
  buckets: Map<number, QcEntry[]>;
}

/** Entries that fit the budget each (check that first), spread over the fewest stable buckets that all fit. */
export function packQcEntries(entries: readonly QcEntry[], budget = QC_DATA_BUDGET): QcPacking {
  const sizes = new Map(entries.map((e) => [e.datasetId, e.bytes]));
  const hashes = new Map(entries.map((e) => [e.datasetId, bucketHash(e.datasetId)]));
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  for (let count = powerOfTwoAtLeast(Math.ceil(total / budget)); count <= MAX_BUCKETS; count *= 2) {
    const buckets = groupByBucket(entries, (e) => hashes.get(e.datasetId) as number, count);
    const fits = [...buckets.values()].every((group) => group.reduce((sum, e) => sum + (sizes.get(e.datasetId) as number), 0) <= budget);
    if (fits) {
      for (const group of buckets.values()) group.sort((a, b) => compareStrings(a.key, b.key));
      return { bucketCount: count, buckets };
    }
  }
  throw new Error(`QC configs do not spread over ${MAX_BUCKETS} ConfigMaps: two dataset ids share a bucket hash`);
}
