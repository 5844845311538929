// A generated catalog of a few hundred datasets with random valid QC in every accepted form, with
// and without profiles: every out/qc file parses and holds, stream by stream and test by test,
// exactly the parameters the catalog gave after profiles, with numbers as written.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadCatalog } from '../../core/load.js';
import { REPO, tempDir } from '../helpers/cli.js';
import { MINIMAL_PROJECT, writeCatalog } from '../helpers/write-catalog.js';
import { ioosQcCalls, renderQc, type Plain } from './helpers.js';

const STREAMS = ['temp', 'sal', 'pres', 'wspd', 'wdir', 'wl', 'cs', 'cd'] as const;
const WINDOWS = [
  { starting: '2020-01-01T00:00:00', ending: '2020-07-01T00:00:00' },
  { starting: '2020-07-01T00:00:00', ending: '2021-01-01T00:00:00' },
];

// Decimals as people write them: up to 4 fraction digits, so String(n) is the text written.
const decimal = (min: number, max: number) => fc.tuple(fc.integer({ min, max }), fc.integer({ min: 0, max: 4 })).map(([i, k]) => i / 10 ** k);
const positive = decimal(1, 99_999);
const sorted = (n: number, min = -99_999) => fc.array(decimal(min, 99_999), { minLength: n, maxLength: n }).map((a) => [...a].sort((x, y) => x - y));
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const compact = (o: Plain) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const TESTS: Record<string, fc.Arbitrary<Plain | null>> = {
  aggregate: fc.constant(null),
  // Both spans: an own fail_span alone over a profile's suspect_span could (rightly) fail containment.
  gross_range_test: sorted(4).map(([a, b, c, d]) => ({ fail_span: [a, d], suspect_span: [b, c] })),
  spike_test: fc.tuple(positive, positive, optional(fc.constantFrom('average', 'differential')))
    .map(([x, y, method]) => compact({ suspect_threshold: Math.min(x, y), fail_threshold: Math.max(x, y), method })),
  rate_of_change_test: fc.tuple(positive, optional(positive)).map(([t, f]) => compact({ threshold: f === undefined ? t : Math.min(t, f), fail_threshold: f === undefined ? undefined : Math.max(t, f) })),
  flat_line_test: fc.tuple(positive, fc.integer({ min: 60, max: 86_400 }), fc.integer({ min: 60, max: 86_400 }))
    .map(([tolerance, x, y]) => ({ tolerance, suspect_threshold: Math.min(x, y), fail_threshold: Math.max(x, y) })),
  attenuated_signal_test: fc.tuple(positive, positive, optional(fc.integer({ min: 60, max: 864_000 })), optional(fc.constantFrom('std', 'range')))
    .map(([x, y, test_period, check_type]) => compact({ suspect_threshold: Math.max(x, y), fail_threshold: Math.min(x, y), test_period, check_type })),
  density_inversion_test: sorted(2, -99_999).map(([a, b]) => ({ suspect_threshold: Math.min(0, b), fail_threshold: Math.min(a, b, 0) })),
  location_test: positive.map((range_max) => ({ range_max })),
  climatology_test: fc.array(fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), sorted(4)), { minLength: 1, maxLength: 3 })
    .map((members) => ({ config: members.map(([m1, m2, [a, b, c, d]]) => ({ tspan: [Math.min(m1, m2), Math.max(m1, m2)], vspan: [b, c], fspan: [a, d], period: 'month' })) })),
};

const testSet = fc.dictionary(fc.constantFrom(...Object.keys(TESTS)), fc.constant(0), { minKeys: 1, maxKeys: 4 })
  .chain((keys) => fc.record(Object.fromEntries(Object.keys(keys).map((name) => [name, TESTS[name]]))));
const streamMap = fc.dictionary(fc.constantFrom(...STREAMS), testSet.map((qartod) => ({ qartod })), { minKeys: 1, maxKeys: 4 });
const streamList = fc.subarray([...STREAMS], { minLength: 1, maxLength: 3 });

type Spec =
  | { kind: 'sea-eagle' | 'contexts' | 'streams' | 'bare'; streams: Plain; windowed?: Plain }
  | { kind: 'test-profile'; list: string[]; own?: Plain }
  | { kind: 'config-profile'; list: string[]; own?: Plain };

const spec: fc.Arbitrary<Spec> = fc.oneof(
  fc.record({ kind: fc.constantFrom('sea-eagle', 'contexts', 'streams', 'bare'), streams: streamMap, windowed: optional(streamMap) }) as fc.Arbitrary<Spec>,
  fc.record({ kind: fc.constant('test-profile'), list: streamList, own: optional(streamMap) }) as fc.Arbitrary<Spec>,
  fc.record({ kind: fc.constant('config-profile'), list: fc.subarray(['temp', 'sal'], { minLength: 1 }), own: optional(streamMap) }) as fc.Arbitrary<Spec>,
);

const PROFILE_TESTS = { gross_range_test: { suspect_span: [-2, 30], fail_span: [-5, 35] }, spike_test: { suspect_threshold: 1.5, fail_threshold: 3 } };
const PROFILE_CONFIG = {
  temp: { qartod: { gross_range_test: { suspect_span: [0, 25], fail_span: [-3, 40] }, flat_line_test: { tolerance: 0.01, suspect_threshold: 3600, fail_threshold: 7200 } } },
  sal: { qartod: { gross_range_test: { suspect_span: [28, 34], fail_span: [0, 42] } } },
};
const PROJECT = `${MINIMAL_PROJECT}qc_profiles:\n${stringify({ sea_temperature: { qartod: PROFILE_TESTS }, ctd: { streams: PROFILE_CONFIG } }).replace(/^/gm, '  ')}`;

/** The dataset's `qc:` block as the data manager writes it. */
function qcBlock(s: Spec): Plain {
  switch (s.kind) {
    case 'sea-eagle':
      return { qartod: { contexts: contextsOf(s) } };
    case 'contexts':
      return { contexts: contextsOf(s) };
    case 'streams':
      return { streams: s.streams };
    case 'bare':
      return s.streams;
    case 'test-profile':
      return { profile: 'sea_temperature', streams: s.list, ...(s.own ? { qartod: { streams: s.own } } : {}) };
    case 'config-profile':
      return { profile: 'ctd', streams: s.list, ...(s.own ? { qartod: { streams: s.own } } : {}) };
  }
}

function contextsOf(s: { streams: Plain; windowed?: Plain }): Plain[] {
  const windowed = s.windowed ? WINDOWS.map((window) => ({ window, streams: s.windowed })) : [];
  return [...windowed, { streams: s.streams }];
}

const mergeTests = (base: Plain, over: Plain): Plain => {
  const out: Plain = { ...base };
  for (const [test, params] of Object.entries(over)) out[test] = { ...(base[test] as Plain | undefined), ...(params as Plain | null) };
  return out;
};

/** What the documentation says the config must be (docs/qc.md, "Profiles"). */
function expectedConfig(s: Spec): Plain {
  if (s.kind !== 'test-profile' && s.kind !== 'config-profile') return s.kind === 'streams' || s.kind === 'bare' ? { streams: s.streams } : { contexts: contextsOf(s) };
  const own = (s.own ?? {}) as Record<string, { qartod: Plain }>;
  const streams: Record<string, { qartod: Plain }> = {};
  if (s.kind === 'test-profile') {
    for (const [name, stream] of Object.entries(own)) streams[name] = { qartod: s.list.includes(name) ? mergeTests(PROFILE_TESTS, stream.qartod) : stream.qartod };
    for (const name of s.list) streams[name] ??= { qartod: PROFILE_TESTS };
  } else {
    for (const name of s.list) streams[name] = PROFILE_CONFIG[name as keyof typeof PROFILE_CONFIG];
    for (const [name, stream] of Object.entries(own)) streams[name] = { qartod: streams[name] ? mergeTests(streams[name].qartod, stream.qartod) : stream.qartod };
  }
  return { streams };
}

function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

const scratch = tempDir('steller-qc-gen-');
afterAll(() => scratch.cleanup());

describe('a generated catalog of 300 datasets', () => {
  const specs = fc.sample(spec, { numRuns: 300, seed: 20_240_601 });
  const files: Record<string, string> = { 'steller.yaml': PROJECT };
  specs.forEach((s, i) => {
    files[`datasets/gen/ds_${String(i).padStart(3, '0')}.yaml`] = stringify({ title: `Generated ${i}`, qc: qcBlock(s) });
  });
  writeCatalog(scratch.dir, files);
  const loaded = loadCatalog(scratch.dir);
  const tree = loaded.catalog ? renderQc(loaded.catalog, loaded.report) : undefined;
  const output = (i: number) => {
    const id = `ds_${String(i).padStart(3, '0')}`;
    const text = tree?.get(`qc/${id}.yaml`) ?? '';
    return { id, text, parsed: parse(text) as Plain };
  };
  const outputs = specs.map((_, i) => output(i));

  it('loads without errors', () => {
    expect(loaded.report.sorted().filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.catalog?.datasets).toHaveLength(300);
  });

  it('writes one parsable explicit-form file per dataset, naming its source', () => {
    for (const { id, text, parsed } of outputs) {
      expect(text).toContain(`from datasets/gen/${id}.yaml`);
      expect(Object.keys(parsed)).toEqual(['contexts']);
    }
  });

  it('holds exactly the catalog\'s tests and parameters after profiles, numbers written as given', () => {
    specs.forEach((s, i) => {
      const { id, text, parsed } = outputs[i];
      const expected = expectedConfig(s);
      expect(ioosQcCalls(parsed), `${id}: ${JSON.stringify(s)}`).toEqual(ioosQcCalls(expected));
      for (const n of numbersIn(expected)) expect(text, id).toMatch(new RegExp(`[\\s\\[:]${String(n).replace(/[.-]/g, '\\$&')}[,\\]\\n]`));
      expect(text).not.toMatch(/\d\.\d{12,}|\de[+-]?\d/);
    });
  });

  it.skipIf(!process.env.STELLER_IOOS_QC_PYTHON)('runs in ioos_qc itself (a sample of 60; see ioos-qc-run.test.ts)', () => {
    const sample = outputs.filter((_, i) => i % 5 === 0).map(({ id, text }) => {
      const file = join(scratch.dir, `${id}.out.yaml`);
      writeFileSync(file, text);
      return file;
    });
    const result = spawnSync(process.env.STELLER_IOOS_QC_PYTHON ?? 'python3', [join(REPO, 'test/qc/ioos_qc_judge.py'), ...sample], { encoding: 'utf8', timeout: 300_000 });
    const problems = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { file: string; problems: string[] }).filter((v) => v.problems.length > 0);
    expect(problems).toEqual([]);
  });

  it('renders the same bytes twice', () => {
    const again = loaded.catalog ? renderQc(loaded.catalog, loaded.report) : undefined;
    expect([...(again?.values() ?? [])]).toEqual([...(tree?.values() ?? [])]);
  });
});
