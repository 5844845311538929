// Kubernetes object names, owned by steller: cdk8s checks none (research: gitops.md §0.5), and
// its auto-names hash the construct path. A name here comes from the dataset id alone, so it is
// the same on every build, and a registry keeps every name in a namespace unique across kinds.
import { createHash } from 'node:crypto';

/** The Job controller appends `-<minutes since epoch>` (11 characters) to a CronJob's name, and Job names are labels (63). */
export const MAX_CRONJOB_NAME = 52;
/** A DNS-1123 label: namespaces, label values, most names we choose. */
export const MAX_LABEL = 63;
/** A DNS-1123 subdomain: the limit for ConfigMap, Secret and ExternalSecret names. */
export const MAX_SUBDOMAIN = 253;
const HASH_LENGTH = 6;

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDnsLabel(name: string, maxLength = MAX_LABEL): boolean {
  return name.length <= maxLength && DNS_LABEL.test(name);
}

export function isDnsSubdomain(name: string): boolean {
  return name.length <= MAX_SUBDOMAIN && DNS_SUBDOMAIN.test(name);
}

/** Lowercase hex of sha256(seed), `length` characters: the suffix that tells apart names that would collide. */
export function shortHash(seed: string, length = HASH_LENGTH): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/** Lowercase, every run of other characters one `-`, no `-` at either end. */
function sanitize(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** `base` cut to fit `maxLength` with `-<hash>` after it. */
function withHash(base: string, seed: string, maxLength: number, hashLength: number): string {
  const hash = shortHash(seed, hashLength);
  const room = maxLength - hash.length - 1;
  const cut = base.slice(0, room).replace(/-+$/, '');
  return cut ? `${cut}-${hash}` : hash;
}

/** The name a text maps to: itself when already a fitting DNS label, else sanitized, with a hash when it had to be cut. */
export function dnsLabelFrom(text: string, maxLength: number): string {
  if (isDnsLabel(text, maxLength)) return text;
  const base = sanitize(text);
  if (base === '') return shortHash(text);
  return base.length <= maxLength ? base : withHash(base, text, maxLength, HASH_LENGTH);
}

export interface NameClaim {
  /** The name wanted. */
  preferred: string;
  /** Identifies the claimant (kind and dataset id): the hash comes from it when `preferred` is taken. */
  seed: string;
  maxLength: number;
}

/**
 * Names in use in one namespace, across every kind. The first claimant of a name gets it; a later
 * one gets it with a hash of its own seed, lengthened until free. Callers claim in a fixed order
 * (by kind, then code-point order of the seeds), so the outcome depends on the catalog alone.
 */
export class NameRegistry {
  private readonly taken = new Set<string>();

  /** A name chosen by the user (a shared Secret): it is used as given. Returns false when already taken. */
  reserve(name: string): boolean {
    if (this.taken.has(name)) return false;
    this.taken.add(name);
    return true;
  }

  claim({ preferred, seed, maxLength }: NameClaim): string {
    let name = preferred;
    for (let attempt = 0; this.taken.has(name); attempt++) {
      // Longer hashes first; past 16 characters a counter joins the seed, so this always ends.
      const hashLength = Math.min(HASH_LENGTH + 2 * attempt, 16);
      name = withHash(preferred, hashLength < 16 ? seed : `${seed}\0${attempt}`, maxLength, hashLength);
    }
    this.taken.add(name);
    return name;
  }
}
