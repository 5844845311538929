// 5-field cron as Kubernetes reads it (robfig/cron's standard parser), plus Jenkins' `H`:
// a stable per-dataset offset, so a hundred `H/6 * * * *` jobs spread over the six minutes.
import { createHash } from 'node:crypto';

interface Field {
  name: string;
  min: number;
  max: number;
  /** Upper bound for a bare `H` (Jenkins keeps day-of-month hashes in 1-28 so every month has them). */
  hashMax: number;
  names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59, hashMax: 59 },
  { name: 'hour', min: 0, max: 23, hashMax: 23 },
  { name: 'day of month', min: 1, max: 31, hashMax: 28 },
  { name: 'month', min: 1, max: 12, hashMax: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, hashMax: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/** Problems with a schedule, as messages; empty when it is valid. */
export function cronProblems(schedule: string): string[] {
  const text = schedule.trim();
  if (/^(CRON_)?TZ=/.test(text)) return ['a time zone inside the schedule is rejected by Kubernetes when timeZone is set; use `time_zone:`'];
  if (text.startsWith('@')) return MACROS.has(text) ? [] : [`unknown macro ${text}; use one of ${[...MACROS].join(', ')}`];
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return [`expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`];
  const problems: string[] = [];
  parts.forEach((part, i) => {
    for (const item of part.split(',')) {
      const problem = itemProblem(item, FIELDS[i]);
      if (problem) problems.push(`${FIELDS[i].name} '${item}': ${problem}`);
    }
  });
  return problems;
}

function itemProblem(item: string, field: Field): string | undefined {
  if (item === '') return 'empty list item';
  const [range, step, extra] = item.split('/');
  if (extra !== undefined) return 'more than one /';
  if (step !== undefined) {
    if (!/^\d+$/.test(step)) return `step '${step}' is not a whole number`;
    const n = Number(step);
    if (n < 1 || n > field.max - field.min + 1) return `step ${n} is outside 1-${field.max - field.min + 1}`;
  }
  if (range === '*' || range === 'H' || (range === '?' && (field.name.startsWith('day')))) return undefined;
  const hashed = /^H\((.+)\)$/.exec(range);
  const bounds = (hashed ? hashed[1] : range).split('-');
  if (bounds.length > 2) return 'malformed range';
  const values = bounds.map((b) => parseValue(b, field));
  if (values.some((v) => v === undefined)) return `values must be ${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ''}`;
  if (hashed && bounds.length !== 2) return 'H(…) takes a range, e.g. H(0-29)';
  if (values.length === 2 && (values[0] as number) > (values[1] as number)) return `range start ${values[0]} is after its end ${values[1]}`;
  return undefined;
}

function parseValue(text: string, field: Field): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index < 0) return undefined;
  return field.name === 'month' ? index + 1 : index;
}

/** Replaces every `H` with the dataset's stable offset; a schedule without `H` is returned unchanged. */
export function expandHashedCron(schedule: string, seed: string): string {
  const text = schedule.trim();
  if (!text.includes('H') || text.startsWith('@')) return text;
  return text
    .split(/\s+/)
    .map((part, i) => part.split(',').map((item) => expandItem(item, FIELDS[i], hashOf(`${seed}\0${i}\0${item}`))).join(','))
    .join(' ');
}

function expandItem(item: string, field: Field, hash: number): string {
  const [range, step] = item.split('/');
  // Bounds may be names (`H(MON-FRI)`), as cronProblems accepts them.
  const hashed = /^H(?:\(([^-)]+)-([^)]+)\))?$/.exec(range);
  if (!hashed) return item;
  const low = hashed[1] !== undefined ? (parseValue(hashed[1], field) as number) : field.min;
  const high = hashed[2] !== undefined ? (parseValue(hashed[2], field) as number) : step !== undefined ? field.max : field.hashMax;
  if (step === undefined) return String(low + (hash % (high - low + 1)));
  const n = Number(step);
  const start = low + (hash % Math.min(n, high - low + 1));
  return `${start}-${high}/${n}`;
}

function hashOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}
