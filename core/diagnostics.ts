// Problems are values: every stage records them here with a location and keeps going, so a
// user sees all of them at once, like a compiler, instead of fixing one error per run.
import type { SourceIndex, YamlPath } from './source.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable, kebab-case identifier, e.g. `unknown-key`; tools and tests match on it. */
  code: string;
  message: string;
  hint?: string;
  /** Path relative to the catalog folder, with forward slashes. */
  file: string;
  line: number;
  col: number;
}

/** Where a problem is: a catalog file and the YAML path inside it (empty = the whole file). */
export interface SourceRef {
  file: string;
  path?: YamlPath;
  /** Point at the key of the last path segment instead of its value (for unknown keys). */
  key?: boolean;
  /** An already known position, when there is no YAML node (e.g. a syntax error). */
  line?: number;
  col?: number;
}

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly seen = new Set<string>();
  /** Called with every diagnostic reported, repeats included (see DiagnosticScopes). */
  private listener: ((diagnostic: Diagnostic) => void) | undefined;

  constructor(private readonly sources: SourceIndex) {}

  error(code: string, message: string, at: SourceRef, hint?: string): void {
    this.add('error', code, message, at, hint);
  }

  warning(code: string, message: string, at: SourceRef, hint?: string): void {
    this.add('warning', code, message, at, hint);
  }

  get errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }

  /** Diagnostics in a stable order: by file, line, column, then code. */
  sorted(): Diagnostic[] {
    return [...this.diagnostics].sort(compareDiagnostics);
  }

  /** Runs `work` and returns what it reported (for caching a step together with its diagnostics). */
  capture<T>(work: () => T): { value: T; reported: Diagnostic[] } {
    // Repeats included: what the step reports must replay in full, whatever was reported before it.
    const reported: Diagnostic[] = [];
    this.captures.push(reported);
    try {
      return { value: work(), reported };
    } finally {
      this.captures.pop();
    }
  }

  /** The lists of the captures under way, innermost last. */
  private readonly captures: Diagnostic[][] = [];

  /** Reports diagnostics recorded by an earlier run of the same step. */
  replay(diagnostics: readonly Diagnostic[]): void {
    for (const diagnostic of diagnostics) this.push(diagnostic);
  }

  private add(severity: Severity, code: string, message: string, at: SourceRef, hint?: string): void {
    const pos = at.line !== undefined ? { line: at.line, col: at.col ?? 1 } : this.sources.position(at.file, at.path ?? [], at.key ?? false);
    const diagnostic: Diagnostic = { severity, code, message, file: at.file, line: pos.line, col: pos.col };
    if (hint) diagnostic.hint = hint;
    this.push(diagnostic);
  }

  /** Hears every diagnostic from now on, repeats included; one listener at a time. */
  listen(listener: ((diagnostic: Diagnostic) => void) | undefined): void {
    this.listener = listener;
  }

  private push(diagnostic: Diagnostic): void {
    this.listener?.(diagnostic);
    for (const list of this.captures) list.push(diagnostic);
    const { severity, code, file, line, col, message } = diagnostic;
    const identity = `${severity}\0${code}\0${file}\0${line}\0${col}\0${message}`;
    if (this.seen.has(identity)) return;
    this.seen.add(identity);
    this.diagnostics.push(diagnostic);
  }
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return compareStrings(a.file, b.file) || a.line - b.line || a.col - b.col || compareStrings(a.code, b.code) || compareStrings(a.message, b.message);
}

/** Code-point order: the same on every machine and locale, unlike localeCompare. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Which step reported what: the catalog as a whole, one dataset (its loading and its renderings),
 * or one generator's planning. A patch build (core/patch.ts) replaces the scopes it redoes and
 * keeps the rest, and gets the same diagnostics a whole build would.
 */
export class DiagnosticScopes {
  readonly byScope = new Map<string, Diagnostic[]>();
  private current = CATALOG_SCOPE;

  constructor(report: Reporter) {
    report.listen((diagnostic) => {
      const list = this.byScope.get(this.current);
      if (list) list.push(diagnostic);
      else this.byScope.set(this.current, [diagnostic]);
    });
  }

  within<T>(scope: string, work: () => T): T {
    const outer = this.current;
    this.current = scope;
    try {
      return work();
    } finally {
      this.current = outer;
    }
  }
}

export const CATALOG_SCOPE = 'catalog';

export function datasetScope(file: string): string {
  return `dataset:${file}`;
}

export function generatorScope(name: string): string {
  return `generator:${name}`;
}
