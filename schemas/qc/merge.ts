// Profiles under a dataset's own QC values, and the rules that need the merged result: parameters
// that relate to each other, required parameters, and contexts whose windows overlap.
import type { YamlPath } from '../../core/source.js';
import { didYouMean } from '../../core/suggest.js';
import type { ContextEntry, Named, Packages, Param, StreamEntry, TestEntry, Tests } from './parse.js';
import { PACKAGES, paramNames, type QcVersion, type TestView } from './rules.js';
import { isoInstant, type QcSink } from './values.js';

/** A checked profile: a test set for the streams a dataset names, or a whole config keyed by stream. */
export type Profile =
  | { kind: 'tests'; packages: Packages }
  | { kind: 'config'; contexts: ContextEntry[] };

export interface ProfileUse {
  name: string;
  profile: Profile;
  /** Where the dataset names the profile: problems of profile values in this dataset point here. */
  at: YamlPath;
  streamList?: Named[];
  variables?: readonly string[];
}

/** The dataset's contexts with the profile merged under them (own values win, parameter by parameter). */
export function applyProfile(own: ContextEntry[], use: ProfileUse, sink: QcSink): ContextEntry[] {
  return use.profile.kind === 'tests' ? applyTestSet(own, use.profile.packages, use, sink) : applyConfig(own, use.profile.contexts, use, sink);
}

/**
 * A test set applies to the streams in `streams: [...]`, or, without that list, to every stream of
 * the dataset's own contexts. A listed stream is merged in each context that names it, or else
 * added to the context without a window.
 */
function applyTestSet(own: ContextEntry[], packages: Packages, use: ProfileUse, sink: QcSink): ContextEntry[] {
  const listed = use.streamList ? new Set(use.streamList.map((item) => item.name)) : undefined;
  const contexts = own.map((context) => ({ ...context, streams: new Map(context.streams) }));
  for (const context of contexts) {
    for (const [name, stream] of context.streams) {
      if (!listed || listed.has(name)) context.streams.set(name, { path: stream.path, packages: mergePackages(detachPackages(packages), stream.packages) });
    }
  }
  const named = new Set(contexts.flatMap((context) => [...context.streams.keys()]));
  const added = (use.streamList ?? []).filter((item) => !named.has(item.name));
  if (added.length > 0) {
    let target = contexts.find((context) => context.window.starting === undefined && context.window.ending === undefined);
    if (!target) {
      target = { window: {}, streams: new Map() };
      contexts.unshift(target);
    }
    for (const item of added) target.streams.set(item.name, { path: item.path, packages: detachPackages(packages) });
  }
  if (!use.streamList && named.size === 0) {
    sink.error('qc-profile-no-streams', `profile "${use.name}" is a set of tests: name the streams it applies to`, use.at,
      `add \`streams: [<variable>, …]\` beside \`profile: ${use.name}\``);
  }
  return contexts;
}

/** A config profile is the base: own contexts with the same window merge into it, others are added. */
function applyConfig(own: ContextEntry[], profileContexts: ContextEntry[], use: ProfileUse, sink: QcSink): ContextEntry[] {
  const available = new Set(profileContexts.flatMap((context) => [...context.streams.keys()]));
  const wanted = use.streamList ? new Set(use.streamList.map((item) => item.name)) : undefined;
  for (const item of use.streamList ?? []) {
    if (available.has(item.name)) continue;
    const suggestion = didYouMean(item.name, [...available]);
    sink.error('qc-unknown-stream', `profile "${use.name}" has no stream "${item.name}"`, item.path,
      suggestion ? `did you mean '${suggestion}'?` : `its streams: ${[...available].join(', ')}`);
  }
  const contexts = profileContexts.map((context) => detachContext(context, wanted)).filter((context) => context.streams.size > 0);
  if (use.variables) {
    const missing = [...new Set(contexts.flatMap((context) => [...context.streams.keys()]))].filter((name) => !use.variables?.includes(name));
    if (missing.length > 0) {
      sink.error('qc-unknown-stream', `profile "${use.name}" checks ${missing.map((m) => `"${m}"`).join(', ')}, not ${missing.length === 1 ? 'a variable' : 'variables'} of this dataset`, use.at,
        `list the profile's streams this dataset has: \`streams: [${[...available].filter((name) => use.variables?.includes(name)).join(', ')}]\``);
    }
  }
  for (const context of own) {
    const same = contexts.find((c) => windowKey(c) === windowKey(context));
    if (!same) {
      contexts.push(context);
      continue;
    }
    same.path = context.path;
    same.streams = mergeStreams(same.streams, context.streams);
    if (context.region !== undefined) same.region = context.region;
    if (context.attrs !== undefined) same.attrs = { ...same.attrs, ...context.attrs };
  }
  return contexts;
}

function windowKey(context: ContextEntry): string {
  const { starting, ending } = context.window;
  const instant = (text: string | undefined) => (text === undefined ? '' : String(isoInstant(text) ?? text));
  return `${instant(starting)}/${instant(ending)}`;
}

function mergeStreams(base: Map<string, StreamEntry>, over: Map<string, StreamEntry>): Map<string, StreamEntry> {
  const merged = new Map(base);
  for (const [name, stream] of over) {
    const under = merged.get(name);
    merged.set(name, under ? { path: stream.path, packages: mergePackages(under.packages, stream.packages) } : stream);
  }
  return merged;
}

function mergePackages(base: Packages, over: Packages): Packages {
  const merged: Packages = new Map(base);
  for (const [name, tests] of over) {
    const under = merged.get(name);
    merged.set(name, under ? mergeTests(under, tests) : tests);
  }
  return merged;
}

function mergeTests(base: Tests, over: Tests): Tests {
  const merged: Tests = new Map(base);
  for (const [name, test] of over) {
    const under = merged.get(name);
    merged.set(name, under
      ? { path: test.path, writtenNull: test.writtenNull && under.writtenNull, params: new Map([...under.params, ...test.params]) }
      : test);
  }
  return merged;
}

/** Copies of profile nodes without their paths: they point into steller.yaml, not the dataset. */
function detachContext(context: ContextEntry, wanted?: ReadonlySet<string>): ContextEntry {
  const streams = new Map<string, StreamEntry>();
  for (const [name, stream] of context.streams) if (!wanted || wanted.has(name)) streams.set(name, { packages: detachPackages(stream.packages) });
  const copy: ContextEntry = { window: { ...context.window }, streams };
  if (context.region !== undefined) copy.region = context.region;
  if (context.attrs !== undefined) copy.attrs = context.attrs;
  return copy;
}

function detachPackages(packages: Packages): Packages {
  const copy: Packages = new Map();
  for (const [name, tests] of packages) {
    const testsCopy: Tests = new Map();
    for (const [testName, test] of tests) {
      testsCopy.set(testName, { writtenNull: test.writtenNull, params: new Map([...test.params].map(([k, p]) => [k, { value: p.value, valid: p.valid }])) });
    }
    copy.set(name, testsCopy);
  }
  return copy;
}

export interface MergedCheckOptions {
  sink: QcSink;
  version: QcVersion;
  /** Report required parameters nobody gives (false for a profile: a dataset may complete its tests). */
  requireParams: boolean;
  /** Where a dataset names its profile: a required parameter missing from a test only the profile wrote is reported there. */
  missingAt?: { path: YamlPath; profile: string };
}

/** Rules that need a test's final parameters, and overlapping windows, reported at what this file wrote. */
export function checkMerged(contexts: readonly ContextEntry[], options: MergedCheckOptions): void {
  for (const context of contexts) {
    for (const [streamName, stream] of context.streams) {
      for (const [packageName, tests] of stream.packages) {
        for (const [testName, test] of tests) checkTest(packageName, testName, streamName, test, options);
      }
    }
  }
  checkOverlaps(contexts, options.sink);
}

function checkTest(packageName: string, testName: string, streamName: string, test: TestEntry, options: MergedCheckOptions): void {
  const rule = PACKAGES[packageName].tests[testName];
  const { sink } = options;
  const given = (name: string): Param | undefined => {
    const param = test.params.get(name);
    return param && param.value !== null ? param : undefined;
  };
  const missing = options.requireParams ? paramNames(rule, options.version).filter((name) => rule.params[name].required && !given(name)) : [];
  for (const name of missing) {
    if (test.path) {
      sink.error('qc-missing-parameter', `${testName} needs ${name} (without it ioos_qc logs an error and the test gives no flags)`, test.path,
        `add ${name}: ${exampleOf(rule.params[name].type)}`, true);
    } else if (options.missingAt) {
      sink.error('qc-missing-parameter', `${testName} of stream ${streamName}, from profile "${options.missingAt.profile}", needs ${name}`, options.missingAt.path,
        `give it in the profile, or in this dataset: streams: { ${streamName}: { ${packageName}: { ${testName}: { ${name}: … } } } }`);
    }
  }
  if (!rule.check) return;
  const located = (about: readonly string[]): { path: YamlPath; key: boolean } | undefined => {
    for (const name of about) {
      const path = test.params.get(name)?.path;
      // At the parameter's key: its line also when the value is a block list below it.
      if (path) return { path, key: true };
    }
    return about.length === 0 && test.path ? { path: test.path, key: true } : undefined;
  };
  const view: TestView = {
    number: (name) => {
      const param = given(name);
      return param?.valid && typeof param.value === 'number' ? param.value : undefined;
    },
    span: (name) => {
      const param = given(name);
      return param?.valid && Array.isArray(param.value) ? (param.value as [number, number]) : undefined;
    },
    has: (name) => given(name) !== undefined,
    error: (code, message, about, hint) => {
      const at = located(about);
      if (at) sink.error(code, `${testName}: ${message}`, at.path, hint, at.key);
    },
    warning: (code, message, about, hint) => {
      const at = located(about);
      if (at) sink.warning(code, `${testName}: ${message}`, at.path, hint, at.key);
    },
  };
  rule.check(view);
}

function exampleOf(type: string): string {
  return type === 'span' ? '[min, max]' : type === 'bbox' ? '[min_lon, min_lat, max_lon, max_lat]' : type === 'climatology' ? '[{ tspan, vspan, period }]' : '…';
}

/** A stream in two contexts whose windows overlap is checked twice on the same points. */
function checkOverlaps(contexts: readonly ContextEntry[], sink: QcSink): void {
  const byStream = new Map<string, { start: number; end: number; stream: StreamEntry }[]>();
  for (const context of contexts) {
    const start = context.window.starting === undefined ? -Infinity : isoInstant(context.window.starting) ?? -Infinity;
    const end = context.window.ending === undefined ? Infinity : isoInstant(context.window.ending) ?? Infinity;
    for (const [name, stream] of context.streams) {
      const list = byStream.get(name) ?? [];
      list.push({ start, end, stream });
      byStream.set(name, list);
    }
  }
  for (const [name, spans] of byStream) {
    if (spans.length < 2) continue;
    spans.sort((a, b) => a.start - b.start);
    let reach = spans[0].end;
    for (const span of spans.slice(1)) {
      if (span.start < reach && span.stream.path) {
        sink.warning('qc-window-overlap', `stream ${name} is in two contexts whose windows overlap: ioos_qc runs both on the same observations`, span.stream.path,
          'give each context its own [starting, ending) window, or merge them', true);
      }
      reach = Math.max(reach, span.end);
    }
  }
}
