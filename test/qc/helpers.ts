// Runs the QC checks in-process on YAML text, collecting every problem with its YAML path.
import { parse } from 'yaml';
import type { YamlPath } from '../../core/source.js';
import { checkQc, checkQcProfiles, type QcCheckContext, type QcConfig, type QcSink } from '../../schemas/qc/check.js';
import type { QcVersion } from '../../schemas/qc/rules.js';
import type { Reporter } from '../../core/diagnostics.js';
import { qcGenerator } from '../../generators/qc/index.js';
import type { Catalog } from '../../schemas/catalog.js';

export interface Problem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  path: YamlPath;
  hint?: string;
  key?: boolean;
  /** `steller.yaml` for problems found in a profile, `dataset` otherwise. */
  file: 'dataset' | 'steller.yaml';
}

export interface CheckOptions {
  version?: QcVersion;
  variables?: readonly string[];
  /** steller.yaml `qc_profiles:` as YAML text. */
  profiles?: string;
}

export interface CheckResult {
  config?: QcConfig;
  problems: Problem[];
  errors: string[];
  warnings: string[];
}

function collector(problems: Problem[], file: Problem['file']): QcSink {
  const push = (severity: Problem['severity']) => (code: string, message: string, path: YamlPath, hint?: string, key?: boolean) => {
    problems.push({ severity, code, message, path, file, ...(hint ? { hint } : {}), ...(key ? { key } : {}) });
  };
  return { error: push('error'), warning: push('warning') };
}

/** Checks the `qc:` block given as YAML text (the value of `qc:`, not the key). */
export function checkYaml(qcYaml: string, options: CheckOptions = {}): CheckResult {
  const version = options.version ?? 3;
  const problems: Problem[] = [];
  const profiles = options.profiles ? (parse(options.profiles) as Record<string, Record<string, unknown>>) : {};
  checkQcProfiles(profiles, version, collector(problems, 'steller.yaml'));
  const ctx: QcCheckContext = {
    qcVersion: version,
    profiles,
    ...(options.variables ? { variables: options.variables } : {}),
    ...collector(problems, 'dataset'),
  };
  const config = checkQc(parse(qcYaml) as Record<string, unknown>, ctx, ['qc']);
  return {
    ...(config ? { config } : {}),
    problems,
    errors: problems.filter((p) => p.severity === 'error').map((p) => p.code),
    warnings: problems.filter((p) => p.severity === 'warning').map((p) => p.code),
  };
}

export type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

function dictDepth(value: unknown): number {
  return isPlain(value) ? 1 + Math.max(0, ...Object.values(value).map(dictDepth)) : 0;
}

/** config.py Config.__init__'s branches, then ContextConfig's calls: one line per call ioos_qc would make. */
export function ioosQcCalls(config: Plain): string[] {
  const contexts: Plain[] = 'contexts' in config ? (config.contexts as Plain[])
    : 'streams' in config ? [config]
      : dictDepth(config) >= 4 ? [{ streams: config }] : [{ streams: { _stream: config } }];
  const calls: string[] = [];
  for (const context of contexts) {
    const window = (context.window ?? {}) as Plain;
    // Naive times are UTC; an explicit zone is converted.
    const instant = (t: unknown) => (t === undefined || t === null ? '-' : new Date(/Z|[+-]\d\d:\d\d$/.test(String(t)) ? String(t) : `${String(t)}Z`).toISOString());
    for (const [stream, packages] of Object.entries(context.streams as Plain)) {
      for (const [pkg, tests] of Object.entries(packages as Plain)) {
        for (const [test, kwargs] of Object.entries(tests as Plain)) {
          const sorted = Object.fromEntries(Object.entries((kwargs ?? {}) as Plain).sort(([a], [b]) => (a < b ? -1 : 1)));
          calls.push(`${instant(window.starting)}..${instant(window.ending)} ${stream} ${pkg}.${test}(${JSON.stringify(sorted)})`);
        }
      }
    }
  }
  return calls.sort();
}

/** The qc generator alone (without the other generators' heavy imports), as the pipeline runs it. */
export function renderQc(catalog: Catalog, report: Reporter): Map<string, string> {
  const files = qcGenerator.generate(catalog, { report, inputs: new Map(), perDataset: (_, render, salt = '') => render(salt) });
  return new Map(files.map((f) => [f.path, f.content]));
}
