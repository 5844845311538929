// URL pieces shared by every CKAN output. Each URL is made a plain-ASCII URI once, here, so the
// same string is a valid IRI in RDF, a `uri` in data.json and an anyURI in ISO XML.

const bases = new Map<string, string>();

/** A server's base URL, ending in `/`, ready to have paths appended (computed once per server). */
export function serverBase(url: string): string {
  let base = bases.get(url);
  if (base === undefined) {
    base = safeUrl(url.endsWith('/') ? url : `${url}/`);
    bases.set(url, base);
  }
  return base;
}

const UNSAFE = /[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/u;

/** Percent-encodes what a URI may not hold (spaces, non-ASCII, `<>"{}|\^\``). */
export function safeUrl(url: string): string {
  if (!UNSAFE.test(url)) return url;
  return url.replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu, (c) => encodeURIComponent(c));
}

/** Percent-encodes each segment of a relative path, keeping the slashes. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
