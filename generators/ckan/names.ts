// Package names and tags: derived from the catalog so that CKAN's validators accept them as they
// are, and so that the harvesters' `clean_tags` option has nothing left to mangle.
import { createHash } from 'node:crypto';
import { MAX_TAG_LENGTH, PACKAGE_NAME_MAX_LENGTH, packageNameProblem, tagProblem } from './ckan-rules.js';

const HASH_LENGTH = 8;

/**
 * The CKAN package name of a dataset id: the id lowercased when that is already a valid name,
 * otherwise CKAN's munge_title_to_name of it plus a short hash of the exact id. Lowercasing alone
 * cannot collide (ids are unique ignoring case); munging can (`a.b` and `a-b`), hence the hash.
 */
export function packageNameFor(id: string): string {
  const munged = mungeTitleToName(id);
  if (munged === id.toLowerCase() && packageNameProblem(munged) === undefined) return munged;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, HASH_LENGTH);
  const stem = munged.slice(0, PACKAGE_NAME_MAX_LENGTH - HASH_LENGTH - 1).replace(/-+$/, '');
  return stem ? `${stem}-${hash}` : hash;
}

/** ckan/lib/munge.py munge_title_to_name, for the ASCII ids the catalog allows. */
function mungeTitleToName(text: string): string {
  return text
    .replace(/[ .:/]/g, '-')
    .replace(/[^a-zA-Z0-9_-]/g, '')
    .toLowerCase()
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Tags from free keywords: GCMD paths (`A > B > C`) become one tag per level, anything outside
 * letters, digits, space, `-` and `.` becomes a space (`_` too, which `clean_tags` would drop),
 * duplicates ignoring case go, and what is still not a valid CKAN tag (one letter) is left out.
 */
export function tagsFrom(keywords: readonly string[]): string[] {
  const tags: string[] = [];
  const seen = new Set<string>();
  for (const keyword of keywords) {
    for (const part of keyword.split('>')) {
      const tag = cleanTag(part);
      const key = tag.toLowerCase();
      if (seen.has(key) || tagProblem(tag) !== undefined) continue;
      seen.add(key);
      tags.push(tag);
    }
  }
  return tags;
}

function cleanTag(text: string): string {
  const words = text.replace(/[^\p{L}\p{N} .-]/gu, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...words];
  if (chars.length <= MAX_TAG_LENGTH) return words;
  const cut = chars.slice(0, MAX_TAG_LENGTH).join('');
  const lastSpace = cut.lastIndexOf(' ');
  return (lastSpace > 0 ? cut.slice(0, lastSpace) : cut).trim();
}
