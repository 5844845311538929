// Checks of single QC values (a threshold, a span, a timestamp, a climatology member), each
// reported at its own YAML path. Rules across parameters are in rules.ts (TestRule.check).
import type { YamlPath } from '../../core/source.js';
import { didYouMean } from '../../core/suggest.js';
import { CLIMATOLOGY_MEMBER_KEYS, CLIMATOLOGY_PERIODS, type ParamRule } from './rules.js';

/** Where QC problems go: a path inside the file being checked; `key` points at a key, not its value. */
export interface QcSink {
  error(code: string, message: string, path: YamlPath, hint?: string, key?: boolean): void;
  warning(code: string, message: string, path: YamlPath, hint?: string, key?: boolean): void;
}

export type Plain = Record<string, unknown>;
export const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);

export function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

/** A date `2020-01-01` or a date-time `2020-01-01T00:00:00[.fff][Z|±hh:mm]`: the forms YAML loaders read as timestamps. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-](\d{2}):(\d{2}))?)?$/;

/** Milliseconds since 1970 of an ISO-8601 text (no zone: UTC), or undefined when it is not a real instant. */
export function isoInstant(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((s) => (s === undefined ? undefined : Number(s)));
  if (year === undefined || month === undefined || day === undefined) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  let offset = 0;
  if (m[8] && m[8] !== 'Z') {
    const zoneHours = Number(m[9]);
    const zoneMinutes = Number(m[10]);
    if (zoneHours > 23 || zoneMinutes > 59) return undefined;
    offset = (m[8].startsWith('-') ? -1 : 1) * (zoneHours * 60 + zoneMinutes) * 60_000;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second) + fraction - offset;
}

export const isDateOnly = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text);

/**
 * A valid ISO-8601 text as naive UTC (`2020-01-01T05:00:00+05:00` → `2020-01-01T00:00:00`): ioos_qc
 * compares windows and dates with the stream's naive times, and pandas raises on a time-zone-aware
 * one ("Invalid comparison between dtype=datetime64[ns] and datetime"). Texts without a zone are UTC already.
 */
export function toNaiveUtc(text: string): string {
  const m = ISO.exec(text);
  if (!m || !m[8]) return text;
  const instant = isoInstant(text);
  if (instant === undefined) return text;
  const whole = new Date(Math.floor(instant / 1000) * 1000).toISOString().slice(0, 19);
  return m[7] ? `${whole}.${m[7]}` : whole;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Checks a timestamp; `dateTime` refuses a bare date. Returns its instant when valid. */
export function checkTimestamp(value: unknown, path: YamlPath, sink: QcSink, what: string, dateTime = false): number | undefined {
  const example = '2020-01-01T00:00:00Z';
  if (typeof value !== 'string') {
    sink.error('qc-bad-datetime', `${what} must be an ISO-8601 ${dateTime ? 'date-time' : 'date or date-time'}, got ${describeValue(value)}`, path, `e.g. ${example}`);
    return undefined;
  }
  const instant = isoInstant(value);
  if (instant === undefined) {
    sink.error('qc-bad-datetime', `${what} "${value}" is not an ISO-8601 ${dateTime ? 'date-time' : 'date or date-time'}`, path,
      `write e.g. ${example} (T between date and time; Z or ±hh:mm for the zone, none for UTC)`);
    return undefined;
  }
  if (dateTime && isDateOnly(value)) {
    sink.error('qc-bad-datetime', `${what} "${value}" is a date without a time`, path,
      `write ${value}T00:00:00Z: ioos_qc reads a bare date as a date, which pandas does not compare with timestamps`);
    return undefined;
  }
  return instant;
}

/** A number in QC parameters: finite (spans allow ±.inf for an open side), never a quoted number or a boolean. */
export function checkNumber(value: unknown, path: YamlPath, sink: QcSink, what: string, allowInfinite = false): number | undefined {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    const quoted = typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value));
    sink.error('qc-wrong-type', `${what} must be a number, got ${describeValue(value)}`, path, quoted ? `remove the quotes: ${value.trim()}` : undefined);
    return undefined;
  }
  if (!allowInfinite && !Number.isFinite(value)) {
    sink.error('qc-wrong-type', `${what} must be a finite number, got ${value}`, path);
    return undefined;
  }
  return value;
}

/**
 * `[low, high]` of numbers with low ≤ high; ±.inf allowed (an open side, e.g. a minimum-only range).
 * Problems of the whole span point at its key: a span written as a block list starts a line later.
 */
export function checkSpan(value: unknown, path: YamlPath, sink: QcSink, what: string): readonly [number, number] | undefined {
  if (!Array.isArray(value) || value.length !== 2) {
    sink.error('qc-wrong-type', `${what} must be a pair [min, max], got ${describeValue(value)}`, path, 'e.g. [0, 35]', true);
    return undefined;
  }
  const low = checkNumber(value[0], [...path, 0], sink, `${what} min`, true);
  const high = checkNumber(value[1], [...path, 1], sink, `${what} max`, true);
  if (low === undefined || high === undefined) return undefined;
  if (low > high) {
    sink.error('qc-span-order', `${what} [${low}, ${high}] is out of order: the minimum comes first`, path,
      `write [${high}, ${low}] (ioos_qc sorts spans silently, which hides a typo)`, true);
    return undefined;
  }
  return [low, high];
}

/** `[min_lon, min_lat, max_lon, max_lat]` within the globe. */
export function checkBbox(value: unknown, path: YamlPath, sink: QcSink, what: string): boolean {
  if (!Array.isArray(value) || value.length !== 4) {
    const points = Array.isArray(value) && value.length > 0 && value.every(Array.isArray);
    sink.error('qc-wrong-type', `${what} must be [min_lon, min_lat, max_lon, max_lat], got ${describeValue(value)}`, path,
      points ? 'from a config ioos_qc builds only a rectangle: a list of points arrives as a list, not the tuple it needs, and fails at run time'
        : 'e.g. [-71, 42, -69, 44]', true);
    return false;
  }
  const numbers = value.map((v, i) => checkNumber(v, [...path, i], sink, `${what}[${i}]`));
  if (numbers.some((n) => n === undefined)) return false;
  const [minLon, minLat, maxLon, maxLat] = numbers as number[];
  let ok = true;
  for (const [i, lon] of [[0, minLon], [2, maxLon]] as const) {
    if (lon < -180 || lon > 180) {
      sink.error('qc-out-of-range', `${what}: longitude ${lon} is outside -180..180`, [...path, i]);
      ok = false;
    }
  }
  for (const [i, lat] of [[1, minLat], [3, maxLat]] as const) {
    if (lat < -90 || lat > 90) {
      sink.error('qc-out-of-range', `${what}: latitude ${lat} is outside -90..90`, [...path, i]);
      ok = false;
    }
  }
  if (ok && (minLon >= maxLon || minLat >= maxLat)) {
    sink.error('qc-span-order', `${what} [${value.join(', ')}] is out of order: write [min_lon, min_lat, max_lon, max_lat]`, path, undefined, true);
    ok = false;
  }
  return ok;
}

function checkChoice(value: unknown, choices: readonly string[], path: YamlPath, sink: QcSink, what: string): boolean {
  if (typeof value === 'string' && choices.includes(value)) return true;
  const suggestion = typeof value === 'string' ? didYouMean(value, choices) : undefined;
  sink.error('qc-invalid-choice', `${what} must be one of ${choices.join(', ')}, got ${describeValue(value)}`, path,
    suggestion ? `did you mean '${suggestion}'?` : undefined);
  return false;
}

/** Checks one parameter value against its rule; true when it is valid. Null means "not given". */
export function checkParamValue(rule: ParamRule, value: unknown, path: YamlPath, sink: QcSink, what: string): boolean {
  if (value === null) return true;
  switch (rule.type) {
    case 'number':
    case 'integer':
      return checkRuledNumber(rule, value, path, sink, what);
    case 'span':
      return checkSpan(value, path, sink, what) !== undefined;
    case 'bbox':
      return checkBbox(value, path, sink, what);
    case 'datetime':
      return checkTimestamp(value, path, sink, what) !== undefined;
    case 'datetime-span':
      return checkTimestampSpan(value, path, sink, what);
    case 'choice':
      return checkChoice(value, rule.choices ?? [], path, sink, what);
    case 'text':
      if (typeof value === 'string' && value !== '') return true;
      sink.error('qc-wrong-type', `${what} must be a non-empty text, got ${describeValue(value)}`, path);
      return false;
    case 'climatology':
      return checkClimatology(value, path, sink);
  }
}

function checkRuledNumber(rule: ParamRule, value: unknown, path: YamlPath, sink: QcSink, what: string): boolean {
  const n = checkNumber(value, path, sink, what);
  if (n === undefined) return false;
  if (rule.type === 'integer' && !Number.isInteger(n)) {
    sink.error('qc-wrong-type', `${what} must be a whole number, got ${n}`, path);
    return false;
  }
  const signProblem = rule.sign === 'positive' && n <= 0 ? 'greater than 0'
    : rule.sign === 'non-negative' && n < 0 ? '0 or more'
      : rule.sign === 'non-positive' && n > 0 ? '0 or less (a density decrease)' : undefined;
  if (signProblem) {
    sink.error('qc-out-of-range', `${what} must be ${signProblem}, got ${n}`, path,
      rule.sign === 'positive' && n === 0 ? 'leave it out instead of 0 (ioos_qc treats 0 as "not set")' : undefined);
    return false;
  }
  if (rule.range && (n < rule.range[0] || n > rule.range[1])) {
    sink.error('qc-out-of-range', `${what} must be between ${rule.range[0]} and ${rule.range[1]}, got ${n}`, path);
    return false;
  }
  const odd = rule.odd?.(n);
  if (odd) sink.warning(odd.code, `${what}: ${odd.message}`, path, odd.hint);
  return true;
}

function checkTimestampSpan(value: unknown, path: YamlPath, sink: QcSink, what: string): boolean {
  if (!Array.isArray(value) || value.length !== 2) {
    sink.error('qc-wrong-type', `${what} must be a pair [start, end] of ISO-8601 times, got ${describeValue(value)}`, path, 'e.g. ["2000-01-01", "2030-01-01"]', true);
    return false;
  }
  const start = checkTimestamp(value[0], [...path, 0], sink, `${what} start`);
  const end = checkTimestamp(value[1], [...path, 1], sink, `${what} end`);
  if (start === undefined || end === undefined) return false;
  if (start > end) {
    sink.error('qc-span-order', `${what} is out of order: ${String(value[0])} is after ${String(value[1])}`, path, 'the start comes first', true);
    return false;
  }
  return true;
}

/** climatology_test `config`: a list of members, each checked as ClimatologyConfig.add would (and more). */
function checkClimatology(value: unknown, path: YamlPath, sink: QcSink): boolean {
  if (!Array.isArray(value)) {
    sink.error('qc-wrong-type', `climatology_test config must be a list of members {tspan, vspan, …}, got ${describeValue(value)}`, path,
      'e.g. config: [{ tspan: [1, 3], vspan: [2, 12], period: month }]', true);
    return false;
  }
  if (value.length === 0) {
    sink.warning('qc-test-never-flags', 'climatology_test with no members flags everything UNKNOWN', path, 'add members { tspan, vspan, period }');
  }
  let ok = true;
  value.forEach((member, i) => {
    if (!checkClimatologyMember(member, [...path, i], sink)) ok = false;
  });
  return ok;
}

function checkClimatologyMember(member: unknown, path: YamlPath, sink: QcSink): boolean {
  if (!isPlain(member)) {
    sink.error('qc-wrong-type', `a climatology member must be a mapping {tspan, vspan, fspan?, zspan?, period?}, got ${describeValue(member)}`, path);
    return false;
  }
  let ok = true;
  for (const key of Object.keys(member)) {
    if ((CLIMATOLOGY_MEMBER_KEYS as readonly string[]).includes(key)) continue;
    const suggestion = didYouMean(key, CLIMATOLOGY_MEMBER_KEYS);
    sink.error('qc-unknown-parameter', `unknown climatology member key '${key}' (ioos_qc raises on it and skips the whole test)`, [...path, key],
      suggestion ? `did you mean '${suggestion}'?` : `known keys: ${CLIMATOLOGY_MEMBER_KEYS.join(', ')}`, true);
    ok = false;
  }
  // A misspelt key makes ClimatologyConfig.add raise: checking the rest would only echo it.
  if (!ok) return false;
  for (const key of ['tspan', 'vspan'] as const) {
    if (member[key] === undefined || member[key] === null) {
      sink.error('qc-missing-parameter', `a climatology member needs ${key}`, path, `add ${key}: [min, max]`);
      ok = false;
    }
  }
  const period = member.period ?? undefined;
  const periods = Object.keys(CLIMATOLOGY_PERIODS);
  if (period !== undefined && !checkChoice(period, periods, [...path, 'period'], sink, 'period')) ok = false;
  if (member.tspan !== undefined && member.tspan !== null && !checkTspan(member.tspan, typeof period === 'string' ? period : undefined, [...path, 'tspan'], sink)) ok = false;
  const vspan = member.vspan === undefined || member.vspan === null ? undefined : checkSpan(member.vspan, [...path, 'vspan'], sink, 'vspan');
  const fspan = member.fspan === undefined || member.fspan === null ? undefined : checkSpan(member.fspan, [...path, 'fspan'], sink, 'fspan');
  if (member.zspan !== undefined && member.zspan !== null && !checkSpan(member.zspan, [...path, 'zspan'], sink, 'zspan')) ok = false;
  if ((member.vspan != null && !vspan) || (member.fspan != null && !fspan)) ok = false;
  if (vspan && fspan && (vspan[0] < fspan[0] || vspan[1] > fspan[1])) {
    sink.error('qc-span-containment', `vspan [${vspan.join(', ')}] (suspect) must lie within fspan [${fspan.join(', ')}] (fail)`, [...path, 'vspan'],
      'fspan_min ≤ vspan_min ≤ vspan_max ≤ fspan_max', true);
    ok = false;
  }
  return ok;
}

/** tspan holds numbers in `period` units when a period is set, dates otherwise (ClimatologyConfig.add). */
function checkTspan(value: unknown, period: string | undefined, path: YamlPath, sink: QcSink): boolean {
  if (period === undefined) {
    if (Array.isArray(value) && value.some((v) => typeof v === 'number')) {
      sink.error('qc-wrong-type', 'tspan holds numbers but the member has no period: without a period tspan is a pair of dates', path,
        'add period: month (or dayofyear, week, …), or write dates like ["2020-01-01", "2020-04-01"]');
      return false;
    }
    return checkTimestampSpan(value, path, sink, 'tspan');
  }
  const span = checkSpan(value, path, sink, 'tspan');
  if (!span) return false;
  const range = CLIMATOLOGY_PERIODS[period];
  if (range && (span[0] < range[0] || span[1] > range[1])) {
    sink.warning('qc-out-of-range', `tspan [${span.join(', ')}] reaches outside the values ${period} takes (${range[0]}..${range[1]}), so part of it never matches`, path);
  }
  return true;
}
