// Runs the QC checks in-process on YAML text, collecting every problem with its YAML path.
import { parse } from 'yaml';
import type { YamlPath } from '../../core/source.js';
import { checkQc, checkQcProfiles, type QcCheckContext, type QcConfig, type QcSink } from '../../schemas/qc/check.js';
import type { QcVersion } from '../../schemas/qc/rules.js';

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
