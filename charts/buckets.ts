// Stable buckets for spreading datasets over ConfigMaps and files. A dataset's bucket is a hash of
// its id modulo a power of two, so adding a dataset moves no other, and doubling the count splits
// each bucket in two instead of reshuffling everything (as packing in sorted order would).
import { createHash } from 'node:crypto';

/** 48 bits of sha256: exact in a JS number, and ids practically never share them. */
export function bucketHash(id: string): number {
  return createHash('sha256').update(`steller-bucket\0${id}`).digest().readUIntBE(0, 6);
}

export function bucketOf(hash: number, count: number): number {
  return hash % count;
}

/** Smallest power of two ≥ n (1 for n ≤ 1). */
export function powerOfTwoAtLeast(n: number): number {
  let count = 1;
  while (count < n) count *= 2;
  return count;
}

/** Bucket index as fixed-width hex, so names and files sort in bucket order. */
export function bucketLabel(index: number, count: number): string {
  const width = Math.max(2, (count - 1).toString(16).length);
  return index.toString(16).padStart(width, '0');
}

/** Groups items into `count` buckets by their hash; empty buckets are left out. */
export function groupByBucket<T>(items: readonly T[], hashOf: (item: T) => number, count: number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const bucket = bucketOf(hashOf(item), count);
    const group = groups.get(bucket);
    if (group) group.push(item);
    else groups.set(bucket, [item]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a - b));
}
