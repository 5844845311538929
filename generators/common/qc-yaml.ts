// A small YAML writer for ioos_qc configs. ioos_qc reads them with ruamel.yaml (safe loader), so
// the text must mean the same there as here: numbers in their shortest exact decimal form (never
// float noise, never an exponent a YAML 1.1 reader takes for a string), timestamps plain (so
// they load as datetimes, as in ioos_qc's own examples), every other string quoted unless it is
// a plain word no YAML reader could take for anything else.

/** Strings written plain where a timestamp is meant: windows and time parameters. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/;
const PLAIN_WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words YAML 1.1 readers (ruamel can be one) resolve to booleans or null. */
const RESERVED = /^(y|n|yes|no|true|false|on|off|null)$/i;

export interface EmitOptions {
  /** Write ISO-8601 strings plain, so ioos_qc gets datetimes (not inside attrs or region). */
  timestamps: boolean;
}

/** A number as ioos_qc should read it: JavaScript's shortest round-trip digits, positional. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  const text = String(Object.is(n, -0) ? 0 : n);
  return text.includes('e') ? positional(text) : text;
}

/** `1e-7` → `0.0000001`, `1.5e+21` → `1500000000000000000000`: same digits, no exponent. */
function positional(text: string): string {
  const [mantissa, exponentText] = text.split('e');
  const negative = mantissa.startsWith('-');
  const [whole, fraction = ''] = (negative ? mantissa.slice(1) : mantissa).split('.');
  const digits = whole + fraction;
  const point = whole.length + Number(exponentText);
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

export function formatString(s: string, options: EmitOptions): string {
  if (options.timestamps && TIMESTAMP.test(s)) return s;
  if (PLAIN_WORD.test(s) && !RESERVED.test(s)) return s;
  // JSON's escapes are a subset of YAML's double-quoted ones.
  return JSON.stringify(s);
}

function formatScalar(value: unknown, options: EmitOptions): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return formatString(String(value), options);
}

const isScalar = (value: unknown): boolean => value === null || typeof value !== 'object';
const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Lines for `key: value` at `indent`; mappings and lists of mappings nest as blocks, other lists stay on one line. */
export function emitEntry(key: string, value: unknown, indent: string, options: EmitOptions): string[] {
  const head = `${indent}${formatString(key, { timestamps: false })}:`;
  if (isScalar(value)) return [`${head} ${formatScalar(value, options)}`];
  if (Array.isArray(value)) {
    if (value.every((item) => !isMapping(item))) return [`${head} ${flow(value, options)}`];
    return [head, ...emitList(value, `${indent}  `, options)];
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [`${head} {}`];
  return [head, ...entries.flatMap(([k, v]) => emitEntry(k, v, `${indent}  `, options))];
}

/** Block list items: `- ` then the item's first line, its other lines aligned under it. */
export function emitList(items: readonly unknown[], indent: string, options: EmitOptions): string[] {
  return items.flatMap((item) => {
    if (isScalar(item)) return [`${indent}- ${formatScalar(item, options)}`];
    if (Array.isArray(item)) return [`${indent}- ${flow(item, options)}`];
    const entries = Object.entries(item as Record<string, unknown>);
    if (entries.length === 0) return [`${indent}- {}`];
    const lines = entries.flatMap(([k, v]) => emitEntry(k, v, `${indent}  `, options));
    return [`${indent}- ${lines[0].slice(indent.length + 2)}`, ...lines.slice(1)];
  });
}

/** Flow style, `[a, [b, c]]` and `{k: v}`: for lists (spans, GeoJSON coordinates) and anything inside them. */
function flow(value: unknown, options: EmitOptions): string {
  if (Array.isArray(value)) return `[${value.map((item) => flow(item, options)).join(', ')}]`;
  if (isMapping(value)) return `{${Object.entries(value).map(([k, v]) => `${formatString(k, { timestamps: false })}: ${flow(v, options)}`).join(', ')}}`;
  return formatScalar(value, options);
}
