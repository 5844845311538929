// Reads a `qc` block (or a profile) in any of the accepted forms into one tree of contexts →
// streams → packages → tests → parameters, checking names and single values as it goes. Every
// node keeps the YAML path it was written at, so later rules can point at it; nodes copied from
// a profile into a dataset have no path (the profile was checked, at its own lines, on its own).
import type { YamlPath } from '../../core/source.js';
import { didYouMean } from '../../core/suggest.js';
import { inVersion, PACKAGES, paramNames, RUNTIME_INPUTS, testNames, type QcVersion, type TestRule } from './rules.js';
import { checkParamValue, checkTimestamp, describeValue, isPlain, type Plain, type QcSink } from './values.js';

export interface Param {
  value: unknown;
  path?: YamlPath;
  /** False when the value was reported as invalid: rules across parameters then skip it. */
  valid: boolean;
}

export interface TestEntry {
  path?: YamlPath;
  params: Map<string, Param>;
  /** Written as `test: null` (kept in the output as written when no parameters end up in it). */
  writtenNull: boolean;
}

export type Tests = Map<string, TestEntry>;
export type Packages = Map<string, Tests>;

export interface StreamEntry {
  path?: YamlPath;
  packages: Packages;
}

export interface Window {
  starting?: string;
  ending?: string;
}

export interface ContextEntry {
  path?: YamlPath;
  window: Window;
  region?: unknown;
  attrs?: Plain;
  streams: Map<string, StreamEntry>;
}

export interface Named {
  name: string;
  path: YamlPath;
}

export interface ParsedBlock {
  /** `profile: NAME` (datasets only). */
  profile?: Named;
  /** `streams: [a, b]`: the streams a profile applies to (datasets only). */
  streamList?: Named[];
  contexts: ContextEntry[];
  /** A profile written as a test set (package → tests), for the streams each dataset names. */
  tests?: Packages;
}

export interface ParseOptions {
  sink: QcSink;
  version: QcVersion;
  /** The dataset's variable names, when it lists variables: streams must be among them. */
  variables?: readonly string[];
  role: 'dataset' | 'profile';
}

export const CONTEXT_KEYS = ['window', 'region', 'attrs', 'streams'] as const;
/** Keys a qc block may start with, for "did you mean" when a misspelt one would be read as a stream. */
const BLOCK_KEYS = ['qartod', 'contexts', 'streams', 'profile', 'window', 'region', 'attrs'] as const;

/** `{ qartod: { … } }`: what a stream of a bare stream map holds. */
function looksLikeStream(value: unknown): boolean {
  return isPlain(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => Object.hasOwn(PACKAGES, key));
}
const WINDOW_KEYS = ['starting', 'ending'] as const;

export function parseQcBlock(block: unknown, base: YamlPath, options: ParseOptions): ParsedBlock {
  return new BlockParser(options).block(block, base);
}

class BlockParser {
  private readonly sink: QcSink;
  private aggregateWarned = false;

  constructor(private readonly options: ParseOptions) {
    this.sink = options.sink;
  }

  block(block: unknown, base: YamlPath): ParsedBlock {
    const parsed: ParsedBlock = { contexts: [] };
    if (!isPlain(block)) {
      this.sink.error('qc-wrong-type', `qc must be a mapping, got ${describeValue(block)}`, base, 'e.g. qc: { qartod: { contexts: [ { streams: { … } } ] } }');
      return parsed;
    }
    const rest: Plain = { ...block };
    if ('profile' in rest) {
      parsed.profile = this.profileReference(rest.profile, [...base, 'profile']);
      delete rest.profile;
    }
    if (Array.isArray(rest.streams)) {
      parsed.streamList = this.streamList(rest.streams, [...base, 'streams']);
      delete rest.streams;
    }
    const keys = Object.keys(rest);
    const wrapped = rest.qartod;
    if (isPlain(wrapped) && ('contexts' in wrapped || 'streams' in wrapped)) {
      // Sea Eagle's form: the ioos_qc config one level down, under `qartod:`.
      for (const key of keys) {
        if (key !== 'qartod') this.unknownKey(key, [...base, key], ['qartod', 'profile', 'streams'], 'beside `qartod:` only `profile:` and a list of `streams:` may appear');
      }
      parsed.contexts = this.config(wrapped, [...base, 'qartod']);
    } else if (keys.some((key) => key === 'contexts' || (CONTEXT_KEYS as readonly string[]).includes(key))) {
      parsed.contexts = this.config(rest, base);
    } else if (keys.length > 0 && keys.every((key) => Object.hasOwn(PACKAGES, key))) {
      if (this.options.role === 'profile') {
        parsed.tests = this.packages(rest, base);
      } else {
        this.sink.error('qc-no-streams', `this is a test set (${keys.join(', ')} → tests) without the stream it applies to`, base,
          'write `qartod: { contexts: [ { streams: { <variable>: { qartod: { … } } } } ] }`, or define the test set as a profile in steller.yaml and write `profile: NAME, streams: [<variable>, …]`');
      }
    } else if (keys.length > 0) {
      const misspelt = keys.filter((key) => !looksLikeStream(rest[key]) && didYouMean(key, BLOCK_KEYS));
      for (const key of misspelt) this.unknownKey(key, [...base, key], BLOCK_KEYS, 'a stream here would map packages to tests');
      if (misspelt.length === 0) parsed.contexts = [{ path: base, window: {}, streams: this.streams(rest, base) }];
    }
    return parsed;
  }

  private profileReference(value: unknown, path: YamlPath): Named | undefined {
    if (this.options.role === 'profile') {
      this.sink.error('qc-nested-profile', 'a profile cannot use another profile', path, 'copy the tests into this profile');
      return undefined;
    }
    if (typeof value !== 'string' || value === '') {
      this.sink.error('qc-wrong-type', `profile must be the name of a qc_profiles entry in steller.yaml, got ${describeValue(value)}`, path);
      return undefined;
    }
    return { name: value, path };
  }

  private streamList(items: unknown[], path: YamlPath): Named[] {
    if (this.options.role === 'profile') {
      this.sink.error('qc-bad-form', 'a list of streams applies a profile in a dataset; a profile names streams in a `streams:` mapping', path,
        'write `streams: { <stream>: { qartod: { … } } }`, or define the tests directly (`qartod: { <test>: … }`)');
      return [];
    }
    const seen = new Set<string>();
    const names: Named[] = [];
    items.forEach((item, i) => {
      const itemPath = [...path, i];
      if (typeof item !== 'string' || item === '') {
        this.sink.error('qc-wrong-type', `streams[${i}] must be a stream (variable) name, got ${describeValue(item)}`, itemPath);
        return;
      }
      if (seen.has(item)) {
        this.sink.warning('qc-duplicate-stream', `stream "${item}" is listed twice`, itemPath);
        return;
      }
      seen.add(item);
      if (this.isStreamKnown(item, itemPath, false)) names.push({ name: item, path: itemPath });
    });
    return names;
  }

  /** The contexts form `{contexts: [...]}` or the single-context form `{streams, window?, region?, attrs?}`. */
  private config(config: Plain, path: YamlPath): ContextEntry[] {
    if (!('contexts' in config)) {
      const context = this.context(config, path);
      return context ? [context] : [];
    }
    for (const key of Object.keys(config)) {
      if (key === 'contexts') continue;
      const inContext = (CONTEXT_KEYS as readonly string[]).includes(key);
      this.unknownKey(key, [...path, key], ['contexts'], inContext
        ? `with \`contexts:\`, ${key} goes inside each context (ioos_qc ignores it here)`
        : 'ioos_qc ignores every key beside `contexts:`');
    }
    const list = config.contexts;
    if (!Array.isArray(list)) {
      this.sink.error('qc-wrong-type', `contexts must be a list of { window?, streams }, got ${describeValue(list)}`, [...path, 'contexts']);
      return [];
    }
    return list.flatMap((item, i) => {
      const context = this.context(item, [...path, 'contexts', i]);
      return context ? [context] : [];
    });
  }

  private context(value: unknown, path: YamlPath): ContextEntry | undefined {
    if (!isPlain(value)) {
      this.sink.error('qc-wrong-type', `a context must be a mapping { window?, region?, streams }, got ${describeValue(value)}`, path);
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!(CONTEXT_KEYS as readonly string[]).includes(key)) this.unknownKey(key, [...path, key], CONTEXT_KEYS, 'a context holds window, region, attrs and streams');
    }
    if (!('streams' in value)) {
      this.sink.error('qc-missing-streams', 'this context has no `streams:` (ioos_qc raises KeyError on it)', path, 'add `streams: { <variable>: { qartod: { … } } }`');
      return undefined;
    }
    const context: ContextEntry = { path, window: this.window(value.window, [...path, 'window']), streams: this.streams(value.streams, [...path, 'streams']) };
    const region = this.region(value.region, [...path, 'region']);
    if (region !== undefined) context.region = region;
    if (value.attrs !== undefined && value.attrs !== null) {
      if (isPlain(value.attrs)) context.attrs = value.attrs;
      else this.sink.error('qc-wrong-type', `attrs must be a mapping, got ${describeValue(value.attrs)}`, [...path, 'attrs']);
    }
    return context;
  }

  private window(value: unknown, path: YamlPath): Window {
    const window: Window = {};
    if (value === undefined || value === null) return window;
    if (!isPlain(value)) {
      this.sink.error('qc-bad-window', `window must be a mapping { starting, ending }, got ${describeValue(value)}`, path);
      return window;
    }
    const instants: Partial<Record<keyof Window, number>> = {};
    for (const [key, text] of Object.entries(value)) {
      if (!(WINDOW_KEYS as readonly string[]).includes(key)) {
        const suggestion = didYouMean(key, WINDOW_KEYS);
        this.sink.error('qc-bad-window', `unknown window key '${key}' (ioos_qc raises TypeError on it)`, [...path, key],
          suggestion ? `did you mean '${suggestion}'?` : 'a window has only starting and ending', true);
        continue;
      }
      if (text === null) continue;
      const instant = checkTimestamp(text, [...path, key], this.sink, `window ${key}`, true);
      if (instant !== undefined) {
        window[key as keyof Window] = text as string;
        instants[key as keyof Window] = instant;
      }
    }
    if (instants.starting !== undefined && instants.ending !== undefined && instants.starting >= instants.ending) {
      this.sink.error('qc-bad-window', `window ending ${window.ending} is not after starting ${window.starting}`, [...path, 'ending'],
        'a window runs from starting (included) to ending (excluded)');
    }
    return window;
  }

  private region(value: unknown, path: YamlPath): unknown {
    if (value === undefined || value === null) return undefined;
    if (!isPlain(value)) {
      this.sink.error('qc-wrong-type', `region must be a GeoJSON object, got ${describeValue(value)}`, path);
      return undefined;
    }
    const geometry = isPlain(value.geometry) || (Array.isArray(value.features) && value.features.every((f) => isPlain(f) && isPlain(f.geometry)));
    this.sink.warning('qc-region-ignored', geometry
      ? 'ioos_qc reads region but does not apply it: the streams\' region filter "does nothing right now" (streams.py)'
      : 'ioos_qc cannot read this region (it needs a GeoJSON Feature or FeatureCollection) and ignores it', path,
    'use location_bounds_test to flag positions outside an area');
    return value;
  }

  private streams(value: unknown, path: YamlPath): Map<string, StreamEntry> {
    const streams = new Map<string, StreamEntry>();
    if (!isPlain(value)) {
      this.sink.error('qc-wrong-type', `streams must be a mapping { <variable>: { qartod: { … } } }, got ${describeValue(value)}`, path);
      return streams;
    }
    if (Object.keys(value).length === 0) this.sink.warning('qc-empty-streams', 'no streams here: nothing is checked', path);
    for (const [name, body] of Object.entries(value)) {
      const streamPath = [...path, name];
      if (Object.hasOwn(PACKAGES, name) || (CONTEXT_KEYS as readonly string[]).includes(name) || name === 'contexts') {
        this.sink.error('qc-bad-form', `'${name}' is not a stream here: this mapping is read as streams, each holding packages`, streamPath,
          name === 'window' || name === 'region' || name === 'attrs' ? `${name} goes beside \`streams:\`, in a context` : 'write `streams: { <variable>: { qartod: { <test>: … } } }`', true);
        continue;
      }
      // A stream that is not a variable is reported, and its tests are still checked.
      this.isStreamKnown(name, streamPath, true);
      if (!isPlain(body)) {
        this.sink.error('qc-wrong-type', `stream ${name} must map packages to tests, e.g. qartod: { gross_range_test: … }, got ${describeValue(body)}`, streamPath,
          body === null ? 'ioos_qc crashes on an empty stream: remove it or add tests' : undefined);
        continue;
      }
      if (Object.keys(body).length === 0) this.sink.warning('qc-no-tests', `stream ${name} has no tests`, streamPath, undefined, true);
      streams.set(name, { path: streamPath, packages: this.packages(body, streamPath) });
    }
    return streams;
  }

  private isStreamKnown(name: string, path: YamlPath, key: boolean): boolean {
    const variables = this.options.variables;
    if (!variables || variables.includes(name)) return true;
    const suggestion = didYouMean(name, variables);
    this.sink.error('qc-unknown-stream', `stream "${name}" is not a variable of this dataset`, path,
      suggestion ? `did you mean '${suggestion}'?` : `variables: ${variables.join(', ')}`, key);
    return false;
  }

  private packages(value: Plain, path: YamlPath): Packages {
    const packages: Packages = new Map();
    for (const [name, tests] of Object.entries(value)) {
      const packagePath = [...path, name];
      const rule = PACKAGES[name];
      if (!Object.hasOwn(PACKAGES, name)) {
        this.sink.error('qc-unknown-package', `unknown ioos_qc package '${name}' (ioos_qc skips it with only a log line)`, packagePath, this.packageHint(name), true);
        continue;
      }
      if (!isPlain(tests)) {
        this.sink.error('qc-wrong-type', `${name} must map test names to parameters, got ${describeValue(tests)}`, packagePath,
          tests === null ? 'ioos_qc crashes on an empty package (config.py: modules.items())' : undefined);
        continue;
      }
      packages.set(name, this.tests(name, rule.tests, tests, packagePath));
    }
    return packages;
  }

  private packageHint(name: string): string {
    const suggestion = didYouMean(name, Object.keys(PACKAGES));
    if (suggestion) return `did you mean '${suggestion}'?`;
    if (name === 'attrs') return 'ioos_qc has no attrs on a stream; put attrs on the context';
    const home = Object.entries(PACKAGES).find(([, pkg]) => Object.hasOwn(pkg.tests, name));
    if (home) return `${name} is a test: write it under its package, \`${home[0]}: { ${name}: … }\``;
    return `packages: ${Object.keys(PACKAGES).join(', ')}`;
  }

  private tests(packageName: string, rules: Readonly<Record<string, TestRule>>, value: Plain, path: YamlPath): Tests {
    const tests: Tests = new Map();
    const { version } = this.options;
    for (const [name, params] of Object.entries(value)) {
      const testPath = [...path, name];
      const rule = Object.hasOwn(rules, name) ? rules[name] : undefined;
      if (!rule) {
        this.unknownTest(packageName, name, testPath);
        continue;
      }
      if (!inVersion(rule, version)) {
        this.sink.error('qc-version-mismatch', `${packageName}.${name} exists only in ioos_qc ${rule.versions?.join(', ')}.x; steller.yaml targets qc_version ${version}`, testPath,
          `set qc_version: ${rule.versions?.[0]} in steller.yaml if your harvesters run that ioos_qc, or remove the test`, true);
        continue;
      }
      if (rule.unusable) {
        this.sink.error('qc-unusable-test', rule.unusable, testPath, undefined, true);
        continue;
      }
      if (rule.deprecated) this.sink.warning('qc-deprecated-test', rule.deprecated, testPath, undefined, true);
      if (rule.inert && !this.aggregateWarned) {
        this.aggregateWarned = true;
        this.sink.warning('qc-aggregate-ignored', rule.inert, testPath, 'remove it, and roll flags up after the run (ioos_qc PandasStore.compute_aggregate)', true);
      }
      if (params !== null && !isPlain(params)) {
        this.sink.error('qc-wrong-type', `${name} must map parameter names to values (or be empty), got ${describeValue(params)}`, testPath);
        continue;
      }
      tests.set(name, { path: testPath, writtenNull: params === null, params: this.params(name, rule, params ?? {}, testPath) });
    }
    return tests;
  }

  private unknownTest(packageName: string, name: string, path: YamlPath): void {
    const { version } = this.options;
    const pkg = PACKAGES[packageName];
    const elsewhere = Object.entries(PACKAGES).find(([other, p]) => other !== packageName && Object.hasOwn(p.tests, name) && inVersion(p.tests[name], version));
    const suggestion = didYouMean(name, testNames(pkg, version));
    const hint = elsewhere ? `${name} is in the ${elsewhere[0]} package: \`${elsewhere[0]}: { ${name}: … }\``
      : suggestion ? `did you mean '${suggestion}'?`
        : `${packageName} tests in ioos_qc ${version}.x: ${testNames(pkg, version).join(', ')}`;
    this.sink.error('qc-unknown-test', `unknown ${packageName} test '${name}' (ioos_qc skips it with only a log line)`, path, hint, true);
  }

  private params(testName: string, rule: TestRule, value: Plain, path: YamlPath): Map<string, Param> {
    const params = new Map<string, Param>();
    const { version } = this.options;
    for (const [name, v] of Object.entries(value)) {
      const paramPath = [...path, name];
      if ((RUNTIME_INPUTS as readonly string[]).includes(name)) {
        this.sink.error('qc-runtime-input', `'${name}' is data the stream supplies when ${testName} runs, not a config parameter`, paramPath,
          'remove it: the stream\'s value always wins, so a config value does nothing or breaks the run', true);
        continue;
      }
      const paramRule = Object.hasOwn(rule.params, name) ? rule.params[name] : undefined;
      if (!paramRule) {
        const known = paramNames(rule, version);
        const alias = rule.aliases?.[name];
        const suggestion = alias ?? didYouMean(name, known);
        this.sink.error('qc-unknown-parameter', `unknown parameter '${name}' of ${testName} (ioos_qc drops it silently)`, paramPath,
          suggestion ? `did you mean '${suggestion}'?` : known.length ? `${testName} takes: ${known.join(', ')}` : `${testName} takes no parameters`, true);
        continue;
      }
      if (!inVersion(paramRule, version)) {
        this.sink.error('qc-version-mismatch', `${testName}.${name} exists only in ioos_qc ${paramRule.versions?.join(', ')}.x; steller.yaml targets qc_version ${version} (it would be dropped silently)`,
          paramPath, name === 'bbox' ? 'ioos_qc 3.0 moved it to location_bounds_test: { shape: [min_lon, min_lat, max_lon, max_lat] }' : `set qc_version: ${paramRule.versions?.[0]} in steller.yaml, or remove it`, true);
        continue;
      }
      params.set(name, { value: v, path: paramPath, valid: checkParamValue(paramRule, v, paramPath, this.sink, `${testName} ${name}`) });
    }
    return params;
  }

  private unknownKey(key: string, path: YamlPath, known: readonly string[], hint: string): void {
    const suggestion = didYouMean(key, known);
    this.sink.error('qc-unknown-key', `unexpected key '${key}' here`, path, suggestion ? `did you mean '${suggestion}'? (${hint})` : hint, true);
  }
}
