// CKAN's own validators, reproduced from its source so every package name, tag, e-mail and URL
// steller writes is one `package_create` accepts (research/ckan.md §1). Sources, ckan/ckan @ 2dbe2c1:
// ckan/logic/validators.py (name_validator 373-405, tag_length_validator 455-467,
// tag_name_validator 469-477, url_validator 844-875, email_pattern 1049-1056),
// ckan/model/package.py:50-51 and ckan/model/tag.py:26-27 (length limits), ckan/lib/munge.py:39-62
// (munge_title_to_name) and ckan/logic/schema/__init__.py:139-179 (root keys).

export const PACKAGE_NAME_MIN_LENGTH = 2;
export const PACKAGE_NAME_MAX_LENGTH = 100;
export const MIN_TAG_LENGTH = 2;
export const MAX_TAG_LENGTH = 100;

const RESERVED_NAMES = new Set(['new', 'edit', 'search']);

/** Why CKAN's name_validator rejects `name`, or undefined when it passes. */
export function packageNameProblem(name: string): string | undefined {
  if (RESERVED_NAMES.has(name)) return 'CKAN reserves "new", "edit" and "search"';
  if (name.length < PACKAGE_NAME_MIN_LENGTH) return `must be at least ${PACKAGE_NAME_MIN_LENGTH} characters long`;
  if (name.length > PACKAGE_NAME_MAX_LENGTH) return `must be at most ${PACKAGE_NAME_MAX_LENGTH} characters long`;
  // Python's re.match(r'[a-z0-9_\-]*$') would also let a trailing newline through; a name never needs one.
  if (!/^[a-z0-9_-]*$/.test(name)) return 'must be lowercase ASCII letters, digits, - and _ only';
  return undefined;
}

/**
 * Why CKAN's tag validators reject `tag`, or undefined. Python's `\w` under re.UNICODE is
 * str.isalnum() plus `_`: letters and numbers, not combining marks.
 */
export function tagProblem(tag: string): string | undefined {
  const length = [...tag].length;
  if (length < MIN_TAG_LENGTH) return `is shorter than ${MIN_TAG_LENGTH} characters`;
  if (length > MAX_TAG_LENGTH) return `is longer than ${MAX_TAG_LENGTH} characters`;
  if (!/^[\p{L}\p{N}_ .-]*$/u.test(tag)) return 'may only hold letters, digits, spaces, -, _ and .';
  return undefined;
}

/** CKAN's url_validator: an http(s) URL whose host is ASCII letters, digits, - and . with an optional numeric port. */
export function isCkanUrl(value: string): boolean {
  const netloc = /^https?:\/\/([^/?#]*)/i.exec(value)?.[1];
  if (!netloc) return false;
  const parts = netloc.split(':');
  if (parts.length > 2) return false;
  const [host, port] = parts;
  return /^[A-Za-z0-9.-]*$/.test(host) && (port === undefined || /^\d+$/.test(port));
}

/** CKAN's email_validator pattern (the WHATWG one). */
const EMAIL = /^(?!\.)(?!.*\.$)(?!.*?\.\.)[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
/** Project Open Data's vcard hasEmail pattern, without its `mailto:` (refs/ckan/pod-v1.1/vcard.json). */
const POD_EMAIL = /^[\w_~!$&'()*+,;=:.-]+@[\w.-]+\.[\w.-]+?$/;

/** An address both CKAN's email_validator and POD's hasEmail accept. */
export function isPortableEmail(value: string): boolean {
  return EMAIL.test(value) && POD_EMAIL.test(value);
}

/** Top-level keys of CKAN's package schema: an extra may not use one ("There is a schema field with the same name"). */
export const PACKAGE_ROOT_KEYS: ReadonlySet<string> = new Set([
  '__before', '__extras', '__junk', 'author', 'author_email', 'extras', 'groups', 'id', 'license_id', 'maintainer',
  'maintainer_email', 'metadata_modified', 'name', 'notes', 'owner_org', 'plugin_data', 'private',
  'relationships_as_object', 'relationships_as_subject', 'resources', 'return_to', 'save', 'state', 'tag_string', 'tags',
  'title', 'type', 'url', 'version',
]);
