// Packing the ioos_qc configs (out/qc/<id>.yaml) into ConfigMaps. Kubernetes caps a ConfigMap at
// 1 MiB, but `kubectl apply` and Argo CD's default client-side apply also copy the whole object
// into the `last-applied-configuration` annotation, and annotations are capped at 262,144 bytes
// (research: gitops.md §0.1). Packing to 250 KiB of JSON works with every way of applying (client-
// or server-side, Argo CD or kubectl) at the price of a few more ConfigMaps, so steller does that
// whether or not the Applications use ServerSideApply.
import { compareStrings } from '../core/diagnostics.js';
import { bucketHash, groupByBucket, powerOfTwoAtLeast } from './buckets.js';

/** The whole ConfigMap as JSON (what the annotation would hold) stays under this. */
export const QC_CONFIGMAP_MAX_BYTES = 250 * 1024;
/** Room kept for metadata (name, namespace, labels) and for other annotations next to last-applied. */
const METADATA_ALLOWANCE = 4 * 1024;
export const QC_DATA_BUDGET = QC_CONFIGMAP_MAX_BYTES - METADATA_ALLOWANCE;
/** Past this many buckets something is wrong with the hash, not the catalog. */
const MAX_BUCKETS = 1 << 20;

export interface QcEntry {
  datasetId: string;
  /** The ConfigMap key (and the file name the job sees before it is mapped to a fixed path). */
  key: string;
  content: string;
}

/** What one entry adds to the ConfigMap's JSON: `"key":"escaped content",`. */
export function entryBytes(entry: QcEntry): number {
  return Buffer.byteLength(JSON.stringify(entry.key)) + Buffer.byteLength(JSON.stringify(entry.content)) + 2;
}

export interface QcPacking {
  /** Number of buckets (a power of two); a ConfigMap per non-empty bucket. */
  bucketCount: number;
  /** Entries by bucket index, non-empty buckets only, in bucket order; entries sorted by key. */
  buckets: Map<number, QcEntry[]>;
}

/** Entries that fit the budget each (check that first), spread over the fewest stable buckets that all fit. */
export function packQcEntries(entries: readonly QcEntry[], budget = QC_DATA_BUDGET): QcPacking {
  const sizes = new Map(entries.map((e) => [e.datasetId, entryBytes(e)]));
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
