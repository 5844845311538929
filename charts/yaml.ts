// A small YAML writer for Kubernetes manifests (JSON-shaped data: maps, lists, strings, numbers,
// booleans, null). The `yaml` package spends most of a 10,000-dataset synth serializing (research:
// gitops.md §4), and manifests need none of its generality. Strings are written plain only when
// no YAML 1.1 or 1.2 reader (go-yaml in kustomize and Argo CD, eemeli/yaml here) could read them
// as anything but the same string; otherwise as a literal block (multi-line text) or double-quoted.
// Keys keep the order they come in: cdk8s has already sorted them.

/** One YAML document per value, separated by `---`. */
export function toYamlDocuments(values: readonly unknown[]): string {
  return values.map((value) => toYaml(value)).join('---\n');
}

export function toYaml(value: unknown): string {
  const out = new Writer();
  if (isMap(value) && hasEntries(value)) writeMap(value, 0, out);
  else if (Array.isArray(value) && value.length > 0) writeList(value, 0, out);
  else out.push(scalar(value, 2), '\n');
  return out.text;
}

/** `key: value` (a scalar) as it is written in a map at `indent`. */
export function yamlEntry(key: string, value: string | number | boolean | null, indent: number): string {
  return `${pad(indent)}${keyText(key)}: ${scalar(value, indent + 2)}\n`;
}

/** String concatenation (V8 ropes) beats collecting millions of small pieces and joining them. */
class Writer {
  private readonly parts: string[] = [];
  push(a: string, b = '', c = ''): void {
    this.parts.push(a + b + c);
  }
  get text(): string {
    return this.parts.join('');
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasEntries(map: Record<string, unknown>): boolean {
  for (const key in map) if (map[key] !== undefined) return true;
  return false;
}

function isNested(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : isMap(value) && hasEntries(value);
}

const pads: string[] = [];
function pad(indent: number): string {
  return (pads[indent] ??= ' '.repeat(indent));
}

// Manifests repeat the same few hundred keys thousands of times.
const keyTexts = new Map<string, string>();
function keyText(key: string): string {
  let text = keyTexts.get(key);
  if (text === undefined) {
    text = yamlScalar(key);
    if (keyTexts.size < 10_000) keyTexts.set(key, text);
  }
  return text;
}

function writeMap(map: Record<string, unknown>, indent: number, out: Writer, firstPrefix?: string): void {
  let first = firstPrefix !== undefined;
  for (const key in map) {
    const value = map[key];
    if (value === undefined) continue;
    out.push(first ? (firstPrefix as string) : pad(indent), keyText(key), ':');
    first = false;
    writeValue(value, indent, out);
  }
}

function writeList(list: readonly unknown[], indent: number, out: Writer): void {
  const dash = `${pad(indent)}- `;
  for (const item of list) {
    if (isMap(item) && hasEntries(item)) {
      writeMap(item, indent + 2, out, dash);
    } else {
      out.push(pad(indent), '-');
      writeValue(item, indent, out);
    }
  }
}

/** After `key:` or `-`: a scalar on the same line, a nested map or list on the next ones. */
function writeValue(value: unknown, indent: number, out: Writer): void {
  if (!isNested(value)) {
    out.push(' ', scalar(value, indent + 2), '\n');
  } else if (Array.isArray(value)) {
    out.push('\n');
    writeList(value, indent + 2, out);
  } else {
    out.push('\n');
    writeMap(value as Record<string, unknown>, indent + 2, out);
  }
}

function scalar(value: unknown, indent: number): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`a manifest cannot hold the number ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return isBlockFriendly(value) ? literalBlock(value, indent) : yamlScalar(value);
  if (Array.isArray(value)) return '[]';
  if (isMap(value)) return '{}';
  throw new Error(`a manifest cannot hold a ${typeof value}`);
}

// Words that YAML 1.1 (go-yaml v2, behind sigs.k8s.io/yaml) or 1.2 read as booleans or null,
// and exponents without a mantissa (`E0`), which some 1.1 readers take for numbers.
const AMBIGUOUS_WORDS = /^(y|yes|n|no|true|false|on|off|null|e[-+]?[0-9]+)$/i;
// Letters or `/` first (so never a number, date, anchor, tag or indicator), then characters that
// mean nothing in a block-context plain scalar. `:` is allowed unless a space or the end follows it.
const PLAIN = /^[A-Za-z/](?:[A-Za-z0-9 ._/+=,@()-]|:(?=[^ ]))*$/;

/** A string as one YAML scalar: plain when that reads back as the same string, else double-quoted. */
export function yamlScalar(text: string): string {
  if (PLAIN.test(text) && !text.endsWith(' ') && !AMBIGUOUS_WORDS.test(text)) return text;
  return quoted(text);
}

/** JSON's escapes are YAML's; YAML also wants DEL, C1 controls and the Unicode line breaks escaped. */
function quoted(text: string): string {
  return JSON.stringify(text).replace(/[\x7f-\x9f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Multi-line text reads best as a literal block; anything unusual is quoted instead. */
function isBlockFriendly(text: string): boolean {
  if (!text.includes('\n') || text.endsWith('\n\n') || /^[ \n]/.test(text)) return false;
  // Printable characters and tabs only, and no line that ends in white space.
  return !/[^\t\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]|[ \t]\n|[ \t]$/.test(text);
}

function literalBlock(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  const chomp = text.endsWith('\n') ? '' : '-';
  const body = (chomp ? text : text.slice(0, -1)).split('\n').map((line) => (line === '' ? '' : pad + line));
  return `|${chomp}\n${body.join('\n')}`;
}
