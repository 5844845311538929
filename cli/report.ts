// How diagnostics are shown: text for people (code frames, colour on a terminal), JSON for
// machines, and GitHub workflow commands for pull-request annotations.
import type { Diagnostic } from '../core/diagnostics.js';
import type { SourceIndex } from '../core/source.js';

/** `markdown` is the format of `diff` for pull requests; other commands show diagnostics as text there. */
export type Format = 'text' | 'json' | 'github' | 'markdown';
export const FORMATS: readonly Format[] = ['text', 'json', 'github', 'markdown'];

export function formatDiagnostics(diagnostics: readonly Diagnostic[], format: Format, sources: SourceIndex, color: boolean): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(asJson(diagnostics), null, 2)}\n`;
    case 'github':
      return diagnostics.map(githubLine).join('');
    default:
      return textReport(diagnostics, sources, color);
  }
}

export function asJson(diagnostics: readonly Diagnostic[]) {
  const strip = ({ severity, ...rest }: Diagnostic) => { void severity; return rest; };
  const errors = diagnostics.filter((d) => d.severity === 'error').map(strip);
  const warnings = diagnostics.filter((d) => d.severity === 'warning').map(strip);
  return { ok: errors.length === 0, errors, warnings };
}

function githubLine(d: Diagnostic): string {
  const command = d.severity === 'error' ? 'error' : 'warning';
  const message = `${d.message}${d.hint ? ` (${d.hint})` : ''} [${d.code}]`;
  return `::${command} file=${escapeProperty(d.file)},line=${d.line},col=${d.col},title=${escapeProperty(`steller ${d.code}`)}::${escapeData(message)}\n`;
}

// The escapes of GitHub's workflow-command format (actions/toolkit, core/src/command.ts).
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function textReport(diagnostics: readonly Diagnostic[], sources: SourceIndex, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const out: string[] = [];
  for (const d of diagnostics) {
    const label = d.severity === 'error' ? paint('31;1', 'error') : paint('33;1', 'warning');
    out.push(`${paint('1', `${d.file}:${d.line}:${d.col}`)} ${label} ${paint('2', `[${d.code}]`)} ${d.message}`);
    for (const line of sources.frame(d.file, d.line, d.col)) out.push(`  ${line}`);
    if (d.hint) out.push(`  ${paint('36', 'hint:')} ${d.hint}`);
    out.push('');
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  out.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return `${out.join('\n')}\n`;
}
