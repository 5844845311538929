// Secrets live in a secret store and are referenced by `secrets:`; a literal credential in the
// catalog would be committed, rendered and published. This finds values that look like one.
import { memoizeByString } from './memo.js';
import type { YamlPath } from './source.js';

export interface CredentialFinding {
  path: YamlPath;
  reason: string;
}

const CREDENTIAL_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'apikey', 'credential', 'credentials', 'privatekey', 'accesskey', 'secretkey', 'clientsecret', 'authtoken', 'bearer']);
const CREDENTIAL_PAIRS = [['api', 'key'], ['access', 'key'], ['private', 'key'], ['secret', 'key'], ['client', 'secret'], ['auth', 'token']];

const CREDENTIAL_VALUES: readonly [RegExp, string][] = [
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{40,}\b/, 'a GitHub token'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'a JSON Web Token'],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, 'a URL with a password in it'],
];

/** One cheap pass first; the individual patterns only name what matched. */
const ANY_CREDENTIAL_VALUE = new RegExp(CREDENTIAL_VALUES.map(([pattern]) => `(?:${pattern.source})`).join('|'), 'i');

/** A reference to a value held elsewhere: `${ENV}` or an ERDDAP lookup such as `${env:DB_PASSWORD}` (substituted at load), or a template expression. */
function isReference(value: string): boolean {
  return /^\$\{([a-z]+:)?[A-Za-z_][A-Za-z0-9_.:-]*\}$/.test(value.trim()) || /^\{\{.*\}\}$/.test(value.trim());
}

/** Keys repeat across thousands of records, so each is judged once. */
export const keyLooksLikeCredential = memoizeByString(judgeKey);

function judgeKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.some((w) => CREDENTIAL_WORDS.has(w))) return true;
  const joined = words.join('');
  if (CREDENTIAL_WORDS.has(joined)) return true;
  for (let i = 0; i + 1 < words.length; i++) {
    if (CREDENTIAL_PAIRS.some(([a, b]) => words[i] === a && words[i + 1] === b)) return true;
  }
  return false;
}

/**
 * Walks a parsed YAML value. Under paths where `namesAreReferences` holds (a dataset's `secrets:`
 * list, `kubernetes.secret_store`), keys such as `secret` or `key` name a reference by design, so
 * only the values themselves are judged there: a token pasted into `secrets[].key` is still caught.
 */
export function findCredentials(value: unknown, namesAreReferences: (path: YamlPath) => boolean): CredentialFinding[] {
  const found: CredentialFinding[] = [];
  // One path, pushed and popped, copied only into a finding: a build walks every node of 10,000
  // records, and a new array per node came to 670 MB of garbage.
  const path: (string | number)[] = [];
  const walk = (node: unknown, inReferences: boolean): void => {
    const references = inReferences || (path.length > 0 && namesAreReferences(path));
    if (typeof node === 'string' || typeof node === 'number' || typeof node === 'bigint') {
      const reason = judgeScalar(node, path[path.length - 1], references);
      if (reason) found.push({ path: [...path], reason });
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => {
        path.push(i);
        walk(item, references);
        path.pop();
      });
    } else if (node && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        path.push(key);
        walk((node as Record<string, unknown>)[key], references);
        path.pop();
      }
    }
  };
  walk(value, false);
  return found;
}

/** Why a scalar under `key` looks like a credential, if it does. */
function judgeScalar(value: string | number | bigint, key: string | number | undefined, references: boolean): string | undefined {
  if (typeof value === 'string') {
    if (ANY_CREDENTIAL_VALUE.test(value)) {
      const match = CREDENTIAL_VALUES.find(([pattern]) => pattern.test(value));
      if (match) return `looks like ${match[1]}`;
    }
    if (value.trim() === '' || isReference(value)) return undefined;
  }
  return !references && typeof key === 'string' && keyLooksLikeCredential(key) ? `'${key}' holds a literal value` : undefined;
}
