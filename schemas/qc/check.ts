// Checks a dataset's `qc` block against ioos_qc's rules (rules.ts), applies its profile, and
// normalizes it to the explicit `contexts:`/`streams:` form that ioos_qc.config.Config loads.
// Accepted forms, profiles and every check: docs/qc.md.
import { compareStrings } from '../../core/diagnostics.js';
import type { YamlPath } from '../../core/source.js';
import { didYouMean } from '../../core/suggest.js';
import { applyProfile, checkMerged, type Profile } from './merge.js';
import { parseQcBlock, type ContextEntry, type TestEntry } from './parse.js';
import { CLIMATOLOGY_MEMBER_KEYS, PACKAGES, type ParamRule, type QcVersion } from './rules.js';
import type { QcBlockInput } from './schema.js';
import { isPlain, toNaiveUtc, type Plain, type QcSink } from './values.js';

export type { QcSink } from './values.js';

/** Parameters of one test as ioos_qc receives them; null when the test is written without any. */
export type QcTestParams = Record<string, unknown> | null;

export interface QcContext {
  window?: { starting?: string; ending?: string };
  region?: unknown;
  attrs?: Record<string, unknown>;
  /** stream → package → test → parameters. */
  streams: Record<string, Record<string, Record<string, QcTestParams>>>;
}

/** The normalized QC config of one dataset: exactly what out/qc/<id>.yaml holds. */
export interface QcConfig {
  contexts: QcContext[];
}

export interface QcCheckContext extends QcSink {
  qcVersion: QcVersion;
  /** Variable names of the dataset, when it lists variables. */
  variables?: readonly string[];
  profiles: Readonly<Record<string, QcBlockInput>>;
}

/**
 * Checked profiles by their (parsed YAML) object: checkQcProfiles fills it once per catalog, at
 * steller.yaml's lines, and each dataset that names a profile reuses the result. Null: the profile
 * has errors (already reported), so datasets do not repeat them.
 */
const checkedProfiles = new WeakMap<object, Profile | null>();

/** Checks every `qc_profiles` entry of steller.yaml once, reporting at `['qc_profiles', NAME, …]`. */
export function checkQcProfiles(profiles: Readonly<Record<string, QcBlockInput>>, qcVersion: QcVersion, sink: QcSink): void {
  for (const [name, block] of Object.entries(profiles)) {
    checkedProfiles.set(block, checkProfile(block, ['qc_profiles', name], qcVersion, sink));
  }
}

function checkProfile(block: QcBlockInput, base: YamlPath, version: QcVersion, sink: QcSink): Profile | null {
  let errors = 0;
  const counting: QcSink = {
    error: (...args) => {
      errors++;
      sink.error(...args);
    },
    warning: (...args) => sink.warning(...args),
  };
  const parsed = parseQcBlock(block, base, { sink: counting, version, role: 'profile' });
  const contexts = parsed.tests ? [{ window: {}, streams: new Map([['(profile)', { packages: parsed.tests }]]) }] : parsed.contexts;
  checkMerged(contexts, { sink: counting, version, requireParams: false });
  if (!parsed.tests && parsed.contexts.length === 0) {
    counting.error('qc-empty-profile', 'this profile defines no tests', base,
      'write a test set (`qartod: { gross_range_test: … }`) or streams (`streams: { <stream>: { qartod: { … } } }`)');
  }
  if (errors > 0) return null;
  return parsed.tests ? { kind: 'tests', packages: parsed.tests } : { kind: 'config', contexts: parsed.contexts };
}

export function checkQc(block: QcBlockInput, ctx: QcCheckContext, path: YamlPath): QcConfig | undefined {
  const version = ctx.qcVersion;
  const parsed = parseQcBlock(block, path, { sink: ctx, version, role: 'dataset', ...(ctx.variables ? { variables: ctx.variables } : {}) });
  let contexts = parsed.contexts;
  const reference = parsed.profile;
  if (reference) {
    const profile = profileFor(reference.name, reference.path, ctx);
    if (profile) {
      contexts = applyProfile(contexts, {
        name: reference.name, profile, at: reference.path,
        ...(parsed.streamList ? { streamList: parsed.streamList } : {}),
        ...(ctx.variables ? { variables: ctx.variables } : {}),
      }, ctx);
    }
  } else if (parsed.streamList) {
    ctx.error('qc-streams-without-profile', 'a list of streams applies a profile, but this qc block names none', [...path, 'streams'],
      'add `profile: NAME` (a qc_profiles entry of steller.yaml), or write `streams: { <stream>: { qartod: { … } } }`');
  }
  checkMerged(contexts, { sink: ctx, version, requireParams: true, ...(reference ? { missingAt: { path: reference.path, profile: reference.name } } : {}) });
  if (Object.keys(block).length === 0) ctx.warning('qc-empty', 'qc is empty: no QC config is written for this dataset', path, 'remove `qc:` or add tests');
  return toQcConfig(contexts);
}

/** The checked profile NAME; undefined when it is unknown (reported) or has errors (reported in steller.yaml). */
function profileFor(name: string, at: YamlPath, ctx: QcCheckContext): Profile | undefined {
  if (!Object.hasOwn(ctx.profiles, name)) {
    const names = Object.keys(ctx.profiles);
    const suggestion = didYouMean(name, names);
    ctx.error('qc-unknown-profile', `no QC profile "${name}" in steller.yaml`, at,
      suggestion ? `did you mean '${suggestion}'?` : names.length ? `profiles: ${names.join(', ')}` : 'define it under `qc_profiles:` in steller.yaml');
    return undefined;
  }
  const block = ctx.profiles[name];
  if (!checkedProfiles.has(block)) {
    // Not checked with the project (a caller that skipped checkQcProfiles): check it here, reporting at the reference.
    const prefixed = (report: QcSink['error']): QcSink['error'] => (code, message, _path, hint) => report(code, `profile "${name}": ${message}`, at, hint);
    checkedProfiles.set(block, checkProfile(block, ['qc_profiles', name], ctx.qcVersion, { error: prefixed(ctx.error), warning: prefixed(ctx.warning) }));
  }
  return checkedProfiles.get(block) ?? undefined;
}

/** The output form: contexts in order, streams and packages in code-point order, tests and parameters in ioos_qc's order. */
function toQcConfig(contexts: readonly ContextEntry[]): QcConfig | undefined {
  const out: QcContext[] = [];
  for (const context of contexts) {
    if (context.streams.size === 0) continue;
    const qc: QcContext = { streams: {} };
    if (context.window.starting !== undefined || context.window.ending !== undefined) {
      qc.window = {};
      if (context.window.starting !== undefined) qc.window.starting = toNaiveUtc(context.window.starting);
      if (context.window.ending !== undefined) qc.window.ending = toNaiveUtc(context.window.ending);
    }
    if (context.region !== undefined) qc.region = context.region;
    if (context.attrs !== undefined) qc.attrs = context.attrs;
    for (const name of sortedKeys(context.streams)) {
      const packages = context.streams.get(name)?.packages ?? new Map();
      const stream: QcContext['streams'][string] = {};
      for (const packageName of sortedKeys(packages)) {
        const tests = packages.get(packageName);
        const rules = PACKAGES[packageName].tests;
        const ordered: Record<string, QcTestParams> = {};
        for (const testName of Object.keys(rules)) {
          const test = tests?.get(testName);
          if (test) ordered[testName] = testParams(test, rules[testName].params);
        }
        stream[packageName] = ordered;
      }
      qc.streams[name] = stream;
    }
    out.push(qc);
  }
  return out.length > 0 ? { contexts: out } : undefined;
}

function testParams(test: TestEntry, rules: Readonly<Record<string, ParamRule>>): QcTestParams {
  if (test.params.size === 0 && test.writtenNull) return null;
  const params: Plain = {};
  for (const [name, rule] of Object.entries(rules)) {
    const param = test.params.get(name);
    if (param) params[name] = outputValue(rule.type, param.value);
  }
  return params;
}

/** Times as naive UTC (see toNaiveUtc), climatology members in ClimatologyConfig's key order; the rest as written. */
function outputValue(type: ParamRule['type'], value: unknown): unknown {
  if (type === 'datetime' && typeof value === 'string') return toNaiveUtc(value);
  if (type === 'datetime-span' && Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? toNaiveUtc(v) : v));
  if (type === 'climatology' && Array.isArray(value)) return value.map(outputMember);
  return value;
}

function outputMember(member: unknown): unknown {
  if (!isPlain(member)) return member;
  const out: Plain = {};
  for (const key of CLIMATOLOGY_MEMBER_KEYS) {
    if (member[key] !== undefined) out[key] = key === 'tspan' ? outputValue('datetime-span', member[key]) : member[key];
  }
  return out;
}

function sortedKeys(map: ReadonlyMap<string, unknown>): string[] {
  return [...map.keys()].sort(compareStrings);
}
