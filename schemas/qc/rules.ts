// What ioos_qc accepts in a config, test by test and parameter by parameter, for ioos_qc 2.3.x and
// 3.0.x. Taken from the signatures in ioos_qc's qartod.py and argo.py (tags v2.3.0 and v3.0.0; see
// ../../../shared/design/research/ioos_qc.md §2): ioos_qc itself drops unknown names silently, so
// this table is what makes a typo an error instead of a test that never runs.

export type QcVersion = 2 | 3;

/** Keys the stream supplies when the test runs (config.py Call.run lets them win over the config). */
export const RUNTIME_INPUTS = ['inp', 'tinp', 'zinp', 'lat', 'lon'] as const;

export type ParamType =
  /** A finite number. */
  | 'number'
  /** A whole number. */
  | 'integer'
  /** `[low, high]`, numbers; `.inf`/`-.inf` allowed for an open side. */
  | 'span'
  /** `[min_lon, min_lat, max_lon, max_lat]`. */
  | 'bbox'
  /** An ISO-8601 date or date-time. */
  | 'datetime'
  /** `[start, end]` of ISO-8601 dates or date-times. */
  | 'datetime-span'
  /** One of `choices`, exactly as ioos_qc compares it. */
  | 'choice'
  | 'text'
  /** climatology_test's list of members (ClimatologyConfig). */
  | 'climatology';

export interface ParamRule {
  type: ParamType;
  doc: string;
  required?: boolean;
  choices?: readonly string[];
  /** Sign a number must have; anything else is an error. */
  sign?: 'positive' | 'non-negative' | 'non-positive';
  /** Inclusive bounds of a number. */
  range?: readonly [number, number];
  /** Only in these ioos_qc major versions (default: all). */
  versions?: readonly QcVersion[];
  /** A legal but physically odd value: a warning. */
  odd?: (value: number) => Oddity | undefined;
}

export interface Oddity {
  code: string;
  message: string;
  hint?: string;
}

/** The merged parameters of one test, for rules that relate parameters to each other. */
export interface TestView {
  /** The value, when it is present and valid. */
  number(name: string): number | undefined;
  span(name: string): readonly [number, number] | undefined;
  has(name: string): boolean;
  /** `about` names the parameters involved, the one to point at first; none: the test itself. */
  error(code: string, message: string, about: readonly string[], hint?: string): void;
  warning(code: string, message: string, about: readonly string[], hint?: string): void;
}

export interface TestRule {
  doc: string;
  /** What the stream supplies at run time (shown to editors; RUNTIME_INPUTS are refused everywhere). */
  inputs: readonly string[];
  params: Readonly<Record<string, ParamRule>>;
  versions?: readonly QcVersion[];
  /** Rules across parameters, run on the parameters after profiles are merged. */
  check?: (test: TestView) => void;
  /** Wrong names people write (and ioos_qc drops silently), with the parameter meant. */
  aliases?: Readonly<Record<string, string>>;
  /** Still runs, but ioos_qc says to use something else. */
  deprecated?: string;
  /** ioos_qc has it, but a Config can never run it. */
  unusable?: string;
  /** Accepted but does nothing (`aggregate`). */
  inert?: string;
}

export interface PackageRule {
  doc: string;
  tests: Readonly<Record<string, TestRule>>;
}

const V2: readonly QcVersion[] = [2];
const V3: readonly QcVersion[] = [3];

/** config_creator's names (QcVariableConfig) for what a config writes as spans. */
const SPAN_ALIASES = { suspect_min: 'suspect_span', suspect_max: 'suspect_span', fail_min: 'fail_span', fail_max: 'fail_span' };

/** `low` ≤ `high` when both are given. */
function ordered(test: TestView, low: string, high: string, wording: string): void {
  const a = test.number(low);
  const b = test.number(high);
  if (a !== undefined && b !== undefined && a > b) {
    test.error('qc-threshold-order', `${low} (${a}) must be ${wording} ${high} (${b})`, [low, high], `swap them, or make ${low} ≤ ${high}`);
  }
}

function neverFlagsWithout(test: TestView, names: readonly string[], why: string): void {
  if (names.every((name) => !test.has(name))) {
    test.warning('qc-test-never-flags', `without ${names.join(' or ')} ${why}`, [], `set ${names.join(' and ')}`);
  }
}

const flatLineSeconds = (value: number): Oddity | undefined => {
  if (value > 0 && value < 1) {
    return {
      code: 'qc-flat-line-subsecond',
      message: `${value} is in seconds: ioos_qc truncates it to 0 s, so the window holds no observations`,
      hint: 'flat_line_test thresholds are seconds, e.g. 3600 for one hour (3 × a 20-minute sampling interval)',
    };
  }
  if (!Number.isInteger(value)) {
    return { code: 'qc-truncated', message: `${value} s is truncated by ioos_qc to ${Math.trunc(value)} s`, hint: 'write whole seconds' };
  }
  return undefined;
};

const QARTOD: PackageRule = {
  doc: 'QARTOD tests (ioos_qc.qartod)',
  tests: {
    aggregate: {
      doc: 'Rolls up the other tests\' flags; since ioos_qc 2.0 a config entry does nothing (ioos/ioos_qc#64).',
      inputs: [],
      params: {},
      inert: 'aggregate has done nothing in a config since ioos_qc 2.0 (ioos/ioos_qc#64): each run only logs "Could not run qartod.aggregate"',
    },
    location_test: {
      doc: 'Fails positions outside ±90°/±180°; suspect when consecutive points are farther apart than range_max.',
      inputs: ['lon', 'lat'],
      params: {
        bbox: { type: 'bbox', doc: 'Fail outside [min_lon, min_lat, max_lon, max_lat] (removed in ioos_qc 3.0).', versions: V2 },
        range_max: { type: 'number', sign: 'positive', doc: 'Largest distance between consecutive points, metres.' },
        range_method: { type: 'choice', choices: ['haversine', 'wgs84'], doc: 'Distance algorithm.', versions: V3 },
      },
    },
    location_on_land_test: {
      doc: 'Fails positions on land (needs roaring_landmask).',
      inputs: ['lon', 'lat'],
      params: {},
      versions: V3,
    },
    location_bounds_test: {
      doc: 'Fails positions outside (or inside) a rectangle.',
      inputs: ['lon', 'lat'],
      versions: V3,
      params: {
        shape: {
          type: 'bbox', required: true,
          doc: '[min_lon, min_lat, max_lon, max_lat]: from a config ioos_qc only builds a rectangle (a list of points is a list, not the tuple it needs).',
        },
        flag_area: { type: 'choice', choices: ['outside', 'inside'], doc: 'Which side of the shape fails.' },
      },
    },
    gross_range_test: {
      doc: 'Fails values outside fail_span, suspect outside suspect_span (data units).',
      inputs: ['inp'],
      params: {
        fail_span: { type: 'span', required: true, doc: '[min, max] outside which values fail, data units.' },
        suspect_span: { type: 'span', doc: '[min, max] outside which values are suspect; inside fail_span.' },
      },
      aliases: SPAN_ALIASES,
      check(test) {
        const suspect = test.span('suspect_span');
        const fail = test.span('fail_span');
        if (suspect && fail && (suspect[0] < fail[0] || suspect[1] > fail[1])) {
          test.error('qc-span-containment', `suspect_span [${suspect.join(', ')}] must lie within fail_span [${fail.join(', ')}]`,
            ['suspect_span', 'fail_span'], 'fail_min ≤ suspect_min ≤ suspect_max ≤ fail_max (ioos_qc raises otherwise)');
        }
      },
    },
    percentile_range_test: {
      doc: 'Suspect outside the data\'s own [low, high] percentiles, widened by pad.',
      inputs: ['inp'],
      versions: V3,
      params: {
        low_percentile: { type: 'number', range: [0, 100], doc: 'Lower percentile, 0-100.' },
        hi_percentile: { type: 'number', range: [0, 100], doc: 'Upper percentile, 0-100.' },
        pad: { type: 'number', sign: 'non-negative', doc: 'Added outside both bounds, data units.' },
      },
      check(test) {
        const low = test.number('low_percentile') ?? 5;
        const high = test.number('hi_percentile') ?? 95;
        if (low >= high) {
          test.error('qc-threshold-order', `low_percentile (${low}) must be below hi_percentile (${high})`, ['low_percentile', 'hi_percentile'],
            'defaults are 5 and 95');
        }
      },
    },
    climatology_test: {
      doc: 'Gross range test whose spans change with time (and depth).',
      inputs: ['inp', 'tinp', 'zinp'],
      params: {
        config: {
          type: 'climatology', required: true,
          doc: 'Members {tspan, vspan, fspan?, zspan?, period?}; a later member wins where members overlap.',
        },
      },
    },
    spike_test: {
      doc: 'Flags a point that departs from its neighbours by more than a threshold (data units).',
      inputs: ['inp'],
      params: {
        suspect_threshold: { type: 'number', sign: 'positive', doc: 'Suspect above this deviation, data units (0 or absent: no suspect level).' },
        fail_threshold: { type: 'number', sign: 'positive', doc: 'Fail above this deviation, data units (0 or absent: no fail level).' },
        method: { type: 'choice', choices: ['average', 'differential'], doc: 'Deviation from the neighbours\' average, or the differential method.' },
      },
      check(test) {
        ordered(test, 'suspect_threshold', 'fail_threshold', 'at most');
        neverFlagsWithout(test, ['suspect_threshold', 'fail_threshold'], 'the test never flags');
      },
    },
    rate_of_change_test: {
      doc: 'Suspect when the value changes faster than threshold, data units per second.',
      inputs: ['inp', 'tinp'],
      params: {
        threshold: { type: 'number', required: true, sign: 'positive', doc: 'Suspect above this rate, data units per second.' },
        fail_threshold: { type: 'number', sign: 'positive', doc: 'Fail above this rate, data units per second (ioos_qc ≥ 2.3).' },
      },
      aliases: { rate_threshold: 'threshold', suspect_threshold: 'threshold' },
      check(test) {
        ordered(test, 'threshold', 'fail_threshold', 'at most');
      },
    },
    flat_line_test: {
      doc: 'Flags values that stay within tolerance for longer than the thresholds (seconds).',
      inputs: ['inp', 'tinp'],
      params: {
        suspect_threshold: { type: 'number', required: true, sign: 'positive', doc: 'Suspect after this many seconds flat.', odd: flatLineSeconds },
        fail_threshold: { type: 'number', required: true, sign: 'positive', doc: 'Fail after this many seconds flat.', odd: flatLineSeconds },
        tolerance: { type: 'number', sign: 'non-negative', doc: 'Largest range still counted as flat, data units (default 0: never flags).' },
      },
      check(test) {
        ordered(test, 'suspect_threshold', 'fail_threshold', 'at most');
        if (!test.has('tolerance')) {
          test.warning('qc-test-never-flags', 'without tolerance ioos_qc uses 0, and a range is never below 0, so the test never flags', [],
            'set tolerance in data units, e.g. tolerance: 0.01');
        } else if (test.number('tolerance') === 0) {
          test.warning('qc-test-never-flags', 'tolerance 0 never flags (a range is never below 0)', ['tolerance'], 'use a small positive tolerance');
        }
      },
    },
    attenuated_signal_test: {
      doc: 'Flags a signal whose standard deviation (or range) over test_period is below the thresholds.',
      inputs: ['inp', 'tinp'],
      params: {
        suspect_threshold: { type: 'number', required: true, sign: 'non-negative', doc: 'Suspect below this std/range, data units.' },
        fail_threshold: { type: 'number', required: true, sign: 'non-negative', doc: 'Fail below this std/range, data units.' },
        test_period: { type: 'number', sign: 'positive', doc: 'Rolling window, seconds (absent: the whole series).' },
        min_obs: { type: 'integer', sign: 'positive', doc: 'Observations a window needs (not with min_period).' },
        min_period: { type: 'integer', sign: 'positive', doc: 'Seconds of data a window needs (not with min_obs).' },
        check_type: { type: 'choice', choices: ['std', 'range'], doc: 'Compare the standard deviation or the range.' },
      },
      check(test) {
        ordered(test, 'fail_threshold', 'suspect_threshold', 'at most');
        if (test.has('min_obs') && test.has('min_period')) {
          test.warning('qc-ignored-parameter', 'min_period is ignored when min_obs is set', ['min_period'], 'give one of min_obs or min_period');
        }
        for (const name of ['min_obs', 'min_period']) {
          if (test.has(name) && !test.has('test_period')) {
            test.warning('qc-ignored-parameter', `${name} only counts with test_period`, [name], 'set test_period (seconds)');
          }
        }
      },
    },
    density_inversion_test: {
      doc: 'Flags density that decreases with depth by more than the (negative) thresholds.',
      inputs: ['inp', 'zinp'],
      params: {
        suspect_threshold: { type: 'number', sign: 'non-positive', doc: 'Suspect below this density difference (≤ 0, e.g. -0.01).' },
        fail_threshold: { type: 'number', sign: 'non-positive', doc: 'Fail below this density difference (≤ suspect, e.g. -0.03).' },
      },
      check(test) {
        ordered(test, 'fail_threshold', 'suspect_threshold', 'at most');
        neverFlagsWithout(test, ['suspect_threshold', 'fail_threshold'], 'the test never flags');
      },
    },
    impossible_date_test: {
      doc: 'Fails timestamps in the future or outside fail_span.',
      inputs: ['tinp'],
      versions: V3,
      params: { fail_span: { type: 'datetime-span', doc: '[earliest, latest] plausible time, ISO-8601.' } },
    },
    data_reception_test: {
      doc: 'Fails data older than fail_span hours before from_time (default: now).',
      inputs: ['tinp'],
      versions: V3,
      params: {
        fail_span: { type: 'number', sign: 'positive', doc: 'Hours (default 6).' },
        from_time: { type: 'datetime', doc: 'Anchor time, ISO-8601 (default: when the test runs).' },
      },
    },
    time_gap_test: {
      doc: 'Fails a point that follows a gap longer than fail_span hours.',
      inputs: ['tinp'],
      versions: V3,
      params: { fail_span: { type: 'number', sign: 'positive', doc: 'Hours (default 2).' } },
    },
    syntax_test: {
      doc: 'Fails raw records whose length (characters, bytes or fields) is not nchar.',
      inputs: ['inp'],
      versions: V3,
      params: {
        nchar: { type: 'integer', required: true, sign: 'non-negative', doc: 'Expected length.' },
        lentype: { type: 'choice', choices: ['char', 'byte'], doc: 'Count characters or hex bytes.' },
        delimiter: { type: 'text', doc: 'Count fields split by this instead.' },
      },
    },
  },
};

const ARGO: PackageRule = {
  doc: 'Argo float tests (ioos_qc.argo)',
  tests: {
    pressure_increasing_test: { doc: 'Suspect where pressure does not increase.', inputs: ['inp'], params: {} },
    speed_test: {
      doc: 'Flags implausible speed between consecutive positions, m/s.',
      inputs: ['lon', 'lat', 'tinp'],
      params: {
        suspect_threshold: { type: 'number', required: true, sign: 'positive', doc: 'Suspect above this speed, m/s.' },
        fail_threshold: { type: 'number', required: true, sign: 'positive', doc: 'Fail above this speed, m/s.' },
      },
      check(test) {
        ordered(test, 'suspect_threshold', 'fail_threshold', 'at most');
      },
    },
    duplicate_timestamp_test: { doc: 'Suspect on repeated timestamps.', inputs: ['tinp'], params: {}, versions: V3 },
  },
};

const GLIDERS: PackageRule = {
  doc: 'Deprecated alias of argo (ioos_qc.gliders)',
  tests: {
    pressure_check: {
      doc: 'Deprecated alias of argo.pressure_increasing_test.',
      inputs: ['inp'],
      params: {},
      deprecated: 'gliders.pressure_check is deprecated in ioos_qc: use argo.pressure_increasing_test',
    },
  },
};

const AXDS: PackageRule = {
  doc: 'Axiom tests (ioos_qc.axds)',
  tests: {
    valid_range_test: {
      doc: 'Keyword-only parameters: cannot run from a config.',
      inputs: ['inp'],
      params: {},
      unusable: 'axds.valid_range_test takes keyword-only parameters, which ioos_qc\'s Config drops (config.py Call.run), so it never runs from a config',
    },
  },
};

export const PACKAGES: Readonly<Record<string, PackageRule>> = { qartod: QARTOD, argo: ARGO, gliders: GLIDERS, axds: AXDS };

/** Members of a climatology_test `config` entry (ClimatologyConfig.add). */
export const CLIMATOLOGY_MEMBER_KEYS = ['tspan', 'vspan', 'fspan', 'zspan', 'period'] as const;

/**
 * Periods a climatology member may use: pandas DatetimeIndex integer fields (ClimatologyConfig.check
 * reads `getattr(tinp, period)`; week/weekofyear use the ISO week), with the range each takes.
 */
export const CLIMATOLOGY_PERIODS: Readonly<Record<string, readonly [number, number]>> = {
  year: [-Infinity, Infinity],
  quarter: [1, 4],
  month: [1, 12],
  week: [1, 53],
  weekofyear: [1, 53],
  dayofyear: [1, 366],
  day_of_year: [1, 366],
  dayofweek: [0, 6],
  day_of_week: [0, 6],
  weekday: [0, 6],
  day: [1, 31],
  hour: [0, 23],
};

export function inVersion(rule: { versions?: readonly QcVersion[] }, version: QcVersion): boolean {
  return !rule.versions || rule.versions.includes(version);
}

/** Test names of a package in a version, in ioos_qc's source order. */
export function testNames(pkg: PackageRule, version: QcVersion): string[] {
  return Object.entries(pkg.tests).filter(([, rule]) => inVersion(rule, version)).map(([name]) => name);
}

export function paramNames(test: TestRule, version: QcVersion): string[] {
  return Object.entries(test.params).filter(([, rule]) => inVersion(rule, version)).map(([name]) => name);
}
