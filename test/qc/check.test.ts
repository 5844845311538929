// The QC rules in-process: every accepted form, every check (code and YAML path), and profiles.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { QcBlockSchema } from '../../schemas/qc/schema.js';
import { checkYaml } from './helpers.js';

const SEED_CONTEXTS = `
qartod:
  contexts:
    - streams:
        CS:
          qartod:
            gross_range_test: { suspect_span: [10, 220], fail_span: [0.5, 249] }
            spike_test: { suspect_threshold: 3, fail_threshold: 4 }
        CD:
          qartod:
            gross_range_test: { suspect_span: [0, 360], fail_span: [0, 360] }
`;
const STREAMS = `
  CS:
    qartod:
      spike_test: { fail_threshold: 4, suspect_threshold: 3 }
      gross_range_test: { fail_span: [0.5, 249], suspect_span: [10, 220] }
  CD:
    qartod:
      gross_range_test: { suspect_span: [0, 360], fail_span: [0, 360] }
`;

describe('accepted forms', () => {
  const expected = checkYaml(SEED_CONTEXTS).config;

  it('reads the seed form into the explicit contexts form, streams sorted, tests and parameters in ioos_qc order', () => {
    expect(checkYaml(SEED_CONTEXTS).problems).toEqual([]);
    expect(expected).toEqual({
      contexts: [{
        streams: {
          CD: { qartod: { gross_range_test: { fail_span: [0, 360], suspect_span: [0, 360] } } },
          CS: { qartod: { gross_range_test: { fail_span: [0.5, 249], suspect_span: [10, 220] }, spike_test: { suspect_threshold: 3, fail_threshold: 4 } } },
        },
      }],
    });
    expect(Object.keys(expected?.contexts[0].streams ?? {})).toEqual(['CD', 'CS']);
  });

  it.each([
    ['ioos_qc contexts form', `contexts:\n  - streams:${STREAMS.replace(/\n/g, '\n      ')}`],
    ['ioos_qc streams form', `streams:${STREAMS.replace(/\n/g, '\n  ')}`],
    ['bare stream map', STREAMS],
    ['Sea Eagle wrapper around a streams form', `qartod:\n  streams:${STREAMS.replace(/\n/g, '\n    ')}`],
  ])('%s gives the same config', (_, text) => {
    const result = checkYaml(text);
    expect(result.problems).toEqual([]);
    expect(result.config).toEqual(expected);
  });

  it('refuses ioos_qc\'s single-stream QcConfig form (no stream name) with a way out', () => {
    const result = checkYaml('qartod:\n  gross_range_test: { fail_span: [0, 1] }');
    expect(result.errors).toEqual(['qc-no-streams']);
    expect(result.problems[0].hint).toMatch(/profile/);
  });

  it('keeps a test without parameters as written (null or {})', () => {
    const result = checkYaml('streams: { p: { argo: { pressure_increasing_test: null } }, q: { argo: { pressure_increasing_test: {} } } }');
    expect(result.config?.contexts[0].streams).toEqual({ p: { argo: { pressure_increasing_test: null } }, q: { argo: { pressure_increasing_test: {} } } });
  });

  it('writes windows as naive UTC, which ioos_qc compares with the stream\'s times', () => {
    const result = checkYaml(`contexts:
  - window: { starting: "2020-01-01T05:00:00+05:00", ending: "2020-02-01T00:00:00Z" }
    streams: { t: { qartod: { gross_range_test: { fail_span: [0, 1] } } } }
  - window: { starting: "2020-02-01T00:00:00.5" }
    streams: { t: { qartod: { gross_range_test: { fail_span: [0, 2] } } } }`);
    expect(result.errors).toEqual([]);
    expect(result.config?.contexts.map((c) => c.window)).toEqual([
      { starting: '2020-01-01T00:00:00', ending: '2020-02-01T00:00:00' },
      { starting: '2020-02-01T00:00:00.5' },
    ]);
  });

  it('keeps region and attrs, and warns that ioos_qc does not apply a region', () => {
    const result = checkYaml(`region: { type: Feature, geometry: { type: Point, coordinates: [-70, 42] } }
attrs: { comment: x }
streams: { t: { qartod: { gross_range_test: { fail_span: [0, 1] } } } }`);
    expect(result.warnings).toEqual(['qc-region-ignored']);
    expect(result.config?.contexts[0].region).toEqual({ type: 'Feature', geometry: { type: 'Point', coordinates: [-70, 42] } });
    expect(result.config?.contexts[0].attrs).toEqual({ comment: 'x' });
  });

  it('warns once per dataset about aggregate, and keeps it', () => {
    const result = checkYaml('streams: { a: { qartod: { aggregate: null } }, b: { qartod: { aggregate: {} } } }');
    expect(result.warnings).toEqual(['qc-aggregate-ignored']);
    expect(result.config?.contexts[0].streams.a).toEqual({ qartod: { aggregate: null } });
  });

  it('accepts the seed\'s odd flat-line values with warnings only', () => {
    const result = checkYaml('streams: { CS: { qartod: { flat_line_test: { suspect_threshold: 0.05, fail_threshold: 0.1 } } } }');
    expect(result.errors).toEqual([]);
    expect(result.warnings.sort()).toEqual(['qc-flat-line-subsecond', 'qc-flat-line-subsecond', 'qc-test-never-flags']);
  });
});

const T = ['qc', 'streams', 't', 'qartod'];
const testIn = (test: string, params: string, pkg = 'qartod') => `streams: { t: { ${pkg}: { ${test}: ${params} } } }`;

describe('every problem, at its own path', () => {
  it.each([
    ['misspelt test', testIn('gross_rnge_test', '{ fail_span: [0, 1] }'), 'qc-unknown-test', [...T, 'gross_rnge_test'], /gross_range_test/],
    ['test name without _test', testIn('spike', '{ fail_threshold: 1 }'), 'qc-unknown-test', [...T, 'spike'], /spike_test/],
    ['test in the wrong package', testIn('speed_test', '{ suspect_threshold: 1, fail_threshold: 2 }'), 'qc-unknown-test', [...T, 'speed_test'], /argo/],
    ['misspelt parameter', testIn('spike_test', '{ suspect_threshold: 1, metod: average }'), 'qc-unknown-parameter', [...T, 'spike_test', 'metod'], /method/],
    ['rate_threshold', testIn('rate_of_change_test', '{ threshold: 1, rate_threshold: 1 }'), 'qc-unknown-parameter', [...T, 'rate_of_change_test', 'rate_threshold'], /'threshold'/],
    ['config_creator names', testIn('gross_range_test', '{ fail_span: [0, 9], suspect_min: 1 }'), 'qc-unknown-parameter', [...T, 'gross_range_test', 'suspect_min'], /suspect_span/],
    ['span out of order', testIn('gross_range_test', '{ fail_span: [0, 9], suspect_span: [5, 1] }'), 'qc-span-order', [...T, 'gross_range_test', 'suspect_span'], /\[1, 5\]/],
    ['suspect outside fail', testIn('gross_range_test', '{ fail_span: [0, 9], suspect_span: [1, 10] }'), 'qc-span-containment', [...T, 'gross_range_test', 'suspect_span'], undefined],
    ['quoted number', testIn('spike_test', '{ suspect_threshold: "3" }'), 'qc-wrong-type', [...T, 'spike_test', 'suspect_threshold'], /remove the quotes/],
    ['boolean threshold', testIn('spike_test', '{ suspect_threshold: true }'), 'qc-wrong-type', [...T, 'spike_test', 'suspect_threshold'], undefined],
    ['text in a span', testIn('gross_range_test', '{ fail_span: [0, ten] }'), 'qc-wrong-type', [...T, 'gross_range_test', 'fail_span', 1], undefined],
    ['span of three', testIn('gross_range_test', '{ fail_span: [0, 1, 2] }'), 'qc-wrong-type', [...T, 'gross_range_test', 'fail_span'], undefined],
    ['suspect above fail', testIn('spike_test', '{ suspect_threshold: 4, fail_threshold: 3 }'), 'qc-threshold-order', [...T, 'spike_test', 'suspect_threshold'], undefined],
    ['zero threshold', testIn('spike_test', '{ suspect_threshold: 0 }'), 'qc-out-of-range', [...T, 'spike_test', 'suspect_threshold'], /leave it out/],
    ['spike method', testIn('spike_test', '{ suspect_threshold: 1, method: avrage }'), 'qc-invalid-choice', [...T, 'spike_test', 'method'], /average/],
    ['runtime input', testIn('rate_of_change_test', '{ threshold: 1, tinp: [1] }'), 'qc-runtime-input', [...T, 'rate_of_change_test', 'tinp'], undefined],
    ['missing required', testIn('gross_range_test', '{ suspect_span: [0, 1] }'), 'qc-missing-parameter', [...T, 'gross_range_test'], /fail_span/],
    ['flat line suspect after fail', testIn('flat_line_test', '{ tolerance: 1, suspect_threshold: 7200, fail_threshold: 3600 }'), 'qc-threshold-order', [...T, 'flat_line_test', 'suspect_threshold'], undefined],
    ['negative tolerance', testIn('flat_line_test', '{ tolerance: -1, suspect_threshold: 1, fail_threshold: 2 }'), 'qc-out-of-range', [...T, 'flat_line_test', 'tolerance'], undefined],
    ['attenuated fail above suspect', testIn('attenuated_signal_test', '{ suspect_threshold: 1, fail_threshold: 2 }'), 'qc-threshold-order', [...T, 'attenuated_signal_test', 'fail_threshold'], undefined],
    ['attenuated check_type', testIn('attenuated_signal_test', '{ suspect_threshold: 2, fail_threshold: 1, check_type: ranges }'), 'qc-invalid-choice', [...T, 'attenuated_signal_test', 'check_type'], /range/],
    ['density threshold positive', testIn('density_inversion_test', '{ suspect_threshold: 0.01 }'), 'qc-out-of-range', [...T, 'density_inversion_test', 'suspect_threshold'], undefined],
    ['density fail above suspect', testIn('density_inversion_test', '{ suspect_threshold: -0.03, fail_threshold: -0.01 }'), 'qc-threshold-order', [...T, 'density_inversion_test', 'fail_threshold'], undefined],
    ['percentiles reversed', testIn('percentile_range_test', '{ low_percentile: 90, hi_percentile: 10 }'), 'qc-threshold-order', [...T, 'percentile_range_test', 'low_percentile'], undefined],
    ['percentile above 100', testIn('percentile_range_test', '{ hi_percentile: 101 }'), 'qc-out-of-range', [...T, 'percentile_range_test', 'hi_percentile'], undefined],
    ['syntax nchar not whole', testIn('syntax_test', '{ nchar: 10.5 }'), 'qc-wrong-type', [...T, 'syntax_test', 'nchar'], undefined],
    ['impossible dates reversed', testIn('impossible_date_test', '{ fail_span: ["2030-01-01", "2000-01-01"] }'), 'qc-span-order', [...T, 'impossible_date_test', 'fail_span'], undefined],
    ['bad from_time', testIn('data_reception_test', '{ from_time: yesterday }'), 'qc-bad-datetime', [...T, 'data_reception_test', 'from_time'], undefined],
    ['shape as points', testIn('location_bounds_test', '{ shape: [[-70, 42], [-69, 42], [-69, 43]] }'), 'qc-wrong-type', [...T, 'location_bounds_test', 'shape'], /rectangle/],
    ['bbox out of order', testIn('location_bounds_test', '{ shape: [-69, 42, -70, 43] }'), 'qc-span-order', [...T, 'location_bounds_test', 'shape'], undefined],
    ['climatology member key', testIn('climatology_test', '{ config: [{ tspan: [1, 2], vspan: [0, 1], perod: month }] }'), 'qc-unknown-parameter', [...T, 'climatology_test', 'config', 0, 'perod'], /period/],
    ['climatology without vspan', testIn('climatology_test', '{ config: [{ tspan: [1, 2], period: month }] }'), 'qc-missing-parameter', [...T, 'climatology_test', 'config', 0], /vspan/],
    ['climatology vspan outside fspan', testIn('climatology_test', '{ config: [{ tspan: [1, 2], vspan: [0, 10], fspan: [1, 9], period: month }] }'), 'qc-span-containment', [...T, 'climatology_test', 'config', 0, 'vspan'], undefined],
    ['climatology numbers without period', testIn('climatology_test', '{ config: [{ tspan: [1, 2], vspan: [0, 10] }] }'), 'qc-wrong-type', [...T, 'climatology_test', 'config', 0, 'tspan'], /period/],
    ['climatology period', testIn('climatology_test', '{ config: [{ tspan: [1, 2], vspan: [0, 10], period: months }] }'), 'qc-invalid-choice', [...T, 'climatology_test', 'config', 0, 'period'], /month/],
    ['axds test', testIn('valid_range_test', '{ }', 'axds'), 'qc-unusable-test', ['qc', 'streams', 't', 'axds', 'valid_range_test'], undefined],
    ['misspelt package', 'streams: { t: { qartd: { spike_test: { suspect_threshold: 1 } } } }', 'qc-unknown-package', ['qc', 'streams', 't', 'qartd'], /qartod/],
    ['test without package', 'streams: { t: { spike_test: { suspect_threshold: 1 } } }', 'qc-unknown-package', ['qc', 'streams', 't', 'spike_test'], /qartod: \{ spike_test/],
    ['empty package', 'streams: { t: { qartod: null } }', 'qc-wrong-type', ['qc', 'streams', 't', 'qartod'], /crashes/],
    ['empty stream', 'streams: { t: null }', 'qc-wrong-type', ['qc', 'streams', 't'], /crashes/],
    ['aggregate with parameters', testIn('aggregate', '{ results: 1 }'), 'qc-unknown-parameter', [...T, 'aggregate', 'results'], /no parameters/],
    ['context without streams', 'contexts: [ { window: { starting: "2020-01-01T00:00:00" } } ]', 'qc-missing-streams', ['qc', 'contexts', 0], undefined],
    ['unknown context key', 'contexts: [ { streams: {}, windows: {} } ]', 'qc-unknown-key', ['qc', 'contexts', 0, 'windows'], /window/],
    ['window key', 'window: { start: "2020-01-01T00:00:00" }\nstreams: {}', 'qc-bad-window', ['qc', 'window', 'start'], /starting/],
    ['window reversed', 'window: { starting: "2020-02-01T00:00:00Z", ending: "2020-01-01T00:00:00Z" }\nstreams: {}', 'qc-bad-window', ['qc', 'window', 'ending'], undefined],
    ['window as a date', 'window: { starting: "2020-01-01" }\nstreams: {}', 'qc-bad-datetime', ['qc', 'window', 'starting'], /T00:00:00Z/],
    ['impossible date', 'window: { starting: "2020-02-30T00:00:00Z" }\nstreams: {}', 'qc-bad-datetime', ['qc', 'window', 'starting'], undefined],
    ['window as a number', 'window: { starting: 2020 }\nstreams: {}', 'qc-bad-datetime', ['qc', 'window', 'starting'], undefined],
    ['keys beside contexts', 'contexts: []\nwindow: {}', 'qc-unknown-key', ['qc', 'window'], /inside each context/],
    ['stream list without profile', 'streams: [t]', 'qc-streams-without-profile', ['qc', 'streams'], /profile/],
    ['misspelt wrapper', 'qartd:\n  contexts: []', 'qc-unknown-key', ['qc', 'qartd'], /qartod/],
    ['misspelt contexts', 'context:\n  - streams: {}', 'qc-unknown-key', ['qc', 'context'], /contexts/],
  ] as const)('%s', (_, text, code, path, hint) => {
    const result = checkYaml(text);
    const problem = result.problems.find((p) => p.code === code && p.severity === 'error');
    expect(problem, JSON.stringify(result.problems, null, 1)).toBeDefined();
    expect(problem?.path).toEqual(path);
    if (hint) expect(problem?.hint ?? '').toMatch(hint);
    expect(result.errors.every((c) => c === code || c === 'qc-missing-parameter'), `unexpected extra errors: ${result.errors.join(', ')}`).toBe(true);
  });

  it('checks streams against the dataset\'s variables, with a suggestion, and still checks their tests', () => {
    const result = checkYaml('streams: { temperatur: { qartod: { spike_test: { suspect_threshold: -1 } } } }', { variables: ['time', 'temperature'] });
    expect(result.problems.find((p) => p.code === 'qc-unknown-stream')).toMatchObject({ path: ['qc', 'streams', 'temperatur'], key: true, hint: "did you mean 'temperature'?" });
    expect(result.errors).toContain('qc-out-of-range');
  });

  it('reports all problems of a block at once', () => {
    const result = checkYaml(`streams:
  t:
    qartod:
      gross_rnge_test: {}
      spike_test: { suspect_threshold: "x", metod: 1 }
      flat_line_test: { tolerance: 1, suspect_threshold: 2, fail_threshold: 1 }`);
    expect(result.errors.sort()).toEqual(['qc-threshold-order', 'qc-unknown-parameter', 'qc-unknown-test', 'qc-wrong-type']);
  });

  it('warns about legal but odd values', () => {
    expect(checkYaml(testIn('flat_line_test', '{ tolerance: 0.1, suspect_threshold: 1.5, fail_threshold: 3 }')).warnings).toEqual(['qc-truncated']);
    expect(checkYaml(testIn('spike_test', '{ method: average }')).warnings).toEqual(['qc-test-never-flags']);
    expect(checkYaml(testIn('attenuated_signal_test', '{ suspect_threshold: 2, fail_threshold: 1, min_obs: 3, min_period: 60, test_period: 600 }')).warnings).toEqual(['qc-ignored-parameter']);
    expect(checkYaml(testIn('climatology_test', '{ config: [{ tspan: [0, 13], vspan: [0, 1], period: month }] }')).warnings).toEqual(['qc-out-of-range']);
    expect(checkYaml('streams: { t: { gliders: { pressure_check: null } } }').warnings).toEqual(['qc-deprecated-test']);
    const overlap = checkYaml(`contexts:
  - { window: { starting: "2020-01-01T00:00:00", ending: "2020-03-01T00:00:00" }, streams: { t: { qartod: { gross_range_test: { fail_span: [0, 1] } } } } }
  - { window: { starting: "2020-02-01T00:00:00" }, streams: { t: { qartod: { gross_range_test: { fail_span: [0, 2] } } } } }
  - { window: { starting: "2021-02-01T00:00:00" }, streams: { u: { qartod: { gross_range_test: { fail_span: [0, 2] } } } } }`);
    expect(overlap.problems.filter((p) => p.code === 'qc-window-overlap').map((p) => p.path)).toEqual([['qc', 'contexts', 1, 'streams', 't']]);
  });

  it('accepts a climatology with dates, and writes members in ClimatologyConfig\'s key order', () => {
    const result = checkYaml(testIn('climatology_test', '{ config: [{ period: month, vspan: [1, 9], tspan: [1, 3], fspan: [0, 10] }, { tspan: ["2020-01-01", "2020-03-01T00:00:00Z"], vspan: [1, 9] }] }'));
    expect(result.problems).toEqual([]);
    const config = result.config?.contexts[0].streams.t.qartod.climatology_test?.config as Record<string, unknown>[];
    expect(config.map((m) => Object.keys(m))).toEqual([['tspan', 'vspan', 'fspan', 'period'], ['tspan', 'vspan']]);
    expect(config[1].tspan).toEqual(['2020-01-01', '2020-03-01T00:00:00']);
  });
});

describe('ioos_qc versions (qc_version in steller.yaml)', () => {
  const bbox = testIn('location_test', '{ bbox: [-124.5, 44, -123.5, 45] }');
  it('2.x takes location_test.bbox; 3.0 removed it, so it is an error there with the 3.x way', () => {
    expect(checkYaml(bbox, { version: 2 }).problems).toEqual([]);
    const v3 = checkYaml(bbox, { version: 3 });
    expect(v3.errors).toEqual(['qc-version-mismatch']);
    expect(v3.problems[0].hint).toMatch(/location_bounds_test/);
  });
  it.each(['location_bounds_test', 'location_on_land_test', 'percentile_range_test', 'impossible_date_test', 'data_reception_test', 'time_gap_test', 'syntax_test'])('%s is 3.x only', (test) => {
    expect(checkYaml(testIn(test, '{}'), { version: 2 }).errors).toEqual(['qc-version-mismatch']);
  });
  it('argo.duplicate_timestamp_test and location_test.range_method are 3.x only', () => {
    expect(checkYaml(testIn('duplicate_timestamp_test', 'null', 'argo'), { version: 2 }).errors).toEqual(['qc-version-mismatch']);
    expect(checkYaml(testIn('location_test', '{ range_method: wgs84 }'), { version: 2 }).errors).toEqual(['qc-version-mismatch']);
    expect(checkYaml(testIn('location_test', '{ range_method: wgs84, range_max: 1000 }'), { version: 3 }).problems).toEqual([]);
  });
});

const PROFILES = `
temperature:
  qartod:
    gross_range_test: { suspect_span: [-2, 30], fail_span: [-5, 35] }
    spike_test: { suspect_threshold: 2, fail_threshold: 4 }
buoy:
  streams:
    temp: { qartod: { gross_range_test: { suspect_span: [0, 20], fail_span: [-5, 30] } } }
    sal: { qartod: { gross_range_test: { suspect_span: [28, 34], fail_span: [0, 42] } } }
partial:
  qartod:
    gross_range_test: { suspect_span: [0, 1] }
`;

describe('profiles', () => {
  it('a test set applies to the listed streams', () => {
    const result = checkYaml('{ profile: temperature, streams: [t1, t2] }', { profiles: PROFILES });
    expect(result.problems).toEqual([]);
    const tests = { gross_range_test: { fail_span: [-5, 35], suspect_span: [-2, 30] }, spike_test: { suspect_threshold: 2, fail_threshold: 4 } };
    expect(result.config).toEqual({ contexts: [{ streams: { t1: { qartod: tests }, t2: { qartod: tests } } }] });
  });

  it('the dataset\'s own values win parameter by parameter, and own tests are added', () => {
    const result = checkYaml(`profile: temperature
streams:
  t1: { qartod: { spike_test: { fail_threshold: 6 }, rate_of_change_test: { threshold: 0.1 } } }`, { profiles: PROFILES });
    expect(result.problems).toEqual([]);
    expect(result.config?.contexts[0].streams.t1.qartod).toEqual({
      gross_range_test: { fail_span: [-5, 35], suspect_span: [-2, 30] },
      spike_test: { suspect_threshold: 2, fail_threshold: 6 },
      rate_of_change_test: { threshold: 0.1 },
    });
  });

  it('a listed stream joins every windowed context that names it, and only listed streams get the tests', () => {
    const result = checkYaml(`profile: temperature
streams: [temp]
qartod:
  contexts:
    - window: { starting: "2020-01-01T00:00:00Z", ending: "2020-06-01T00:00:00Z" }
      streams: { temp: { qartod: { gross_range_test: { suspect_span: [0, 18], fail_span: [-5, 35] } } } }
    - window: { starting: "2020-06-01T00:00:00Z" }
      streams: { temp: { qartod: { spike_test: { suspect_threshold: 3 } } } }
    - streams: { sal: { qartod: { gross_range_test: { fail_span: [0, 42] } } } }`, { profiles: PROFILES });
    expect(result.problems).toEqual([]);
    const [winter, summer, rest] = result.config?.contexts ?? [];
    expect(winter.streams.temp.qartod.gross_range_test).toEqual({ fail_span: [-5, 35], suspect_span: [0, 18] });
    expect(winter.streams.temp.qartod.spike_test).toEqual({ suspect_threshold: 2, fail_threshold: 4 });
    expect(summer.streams.temp.qartod.spike_test).toEqual({ suspect_threshold: 3, fail_threshold: 4 });
    expect(rest.streams.sal.qartod).toEqual({ gross_range_test: { fail_span: [0, 42] } });
  });

  it('a config profile applies as is, or restricted to the listed streams', () => {
    expect(checkYaml('{ profile: buoy }', { profiles: PROFILES }).config?.contexts[0].streams).toHaveProperty('sal');
    const result = checkYaml('{ profile: buoy, streams: [temp] }', { profiles: PROFILES, variables: ['temp'] });
    expect(result.problems).toEqual([]);
    expect(Object.keys(result.config?.contexts[0].streams ?? {})).toEqual(['temp']);
  });

  it('a config profile stream the dataset lacks is an error at the reference, naming what to list', () => {
    const result = checkYaml('{ profile: buoy }', { profiles: PROFILES, variables: ['temp'] });
    expect(result.problems).toMatchObject([{ code: 'qc-unknown-stream', path: ['qc', 'profile'], hint: expect.stringMatching(/streams: \[temp\]/) }]);
    const unknown = checkYaml('{ profile: buoy, streams: [tmp] }', { profiles: PROFILES });
    expect(unknown.problems).toMatchObject([{ code: 'qc-unknown-stream', path: ['qc', 'streams', 0], hint: "did you mean 'temp'?" }]);
  });

  it('a violation made by merging is reported at the dataset\'s own value', () => {
    const result = checkYaml('{ profile: temperature, streams: { t: { qartod: { gross_range_test: { fail_span: [0, 20] } } } } }', { profiles: PROFILES });
    expect(result.problems).toMatchObject([{ code: 'qc-span-containment', path: ['qc', 'streams', 't', 'qartod', 'gross_range_test', 'fail_span'] }]);
  });

  it('a profile may leave a required parameter to its datasets; a dataset that does not give it is told at its reference', () => {
    const complete = checkYaml('{ profile: partial, streams: { t: { qartod: { gross_range_test: { fail_span: [-1, 2] } } } } }', { profiles: PROFILES });
    expect(complete.problems).toEqual([]);
    const incomplete = checkYaml('{ profile: partial, streams: [t] }', { profiles: PROFILES });
    expect(incomplete.problems).toMatchObject([{ code: 'qc-missing-parameter', path: ['qc', 'profile'], file: 'dataset' }]);
  });

  it('unknown profile: did you mean', () => {
    expect(checkYaml('{ profile: temprature, streams: [t] }', { profiles: PROFILES }).problems).toMatchObject([
      { code: 'qc-unknown-profile', path: ['qc', 'profile'], hint: "did you mean 'temperature'?" },
    ]);
  });

  it('a test set with no streams to apply to is an error', () => {
    expect(checkYaml('{ profile: temperature }', { profiles: PROFILES }).errors).toEqual(['qc-profile-no-streams']);
  });

  it('problems inside a profile are reported once, in steller.yaml, not in every dataset that uses it', () => {
    const result = checkYaml('{ profile: bad, streams: [t] }', { profiles: 'bad: { qartod: { spike_tset: { suspect_threshold: 1 } } }' });
    expect(result.problems).toMatchObject([{ code: 'qc-unknown-test', file: 'steller.yaml', path: ['qc_profiles', 'bad', 'qartod', 'spike_tset'] }]);
    expect(result.config).toBeUndefined();
  });

  it('profiles do not nest', () => {
    expect(checkYaml('{ profile: a, streams: [t] }', { profiles: 'a: { profile: b, qartod: { spike_test: { suspect_threshold: 1 } } }' }).problems)
      .toMatchObject([{ code: 'qc-nested-profile', file: 'steller.yaml' }]);
  });
});

describe('the JSON Schema for editors', () => {
  it('describes tests and their parameters, while zod accepts any mapping (check.ts reports at each line)', () => {
    const json = JSON.stringify(z.toJSONSchema(QcBlockSchema, { target: 'draft-7', io: 'input' }));
    for (const word of ['gross_range_test', 'suspect_span', 'climatology_test', 'starting', 'profile', 'speed_test']) expect(json).toContain(word);
    expect(QcBlockSchema.safeParse({ anything: { at: 'all' } }).success).toBe(true);
    expect(QcBlockSchema.safeParse('text').success).toBe(false);
  });
});
