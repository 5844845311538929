// What every command shares: the common options, loading the catalog, printing diagnostics,
// and the exit codes (0 clean, 1 catalog errors, 2 usage or I/O errors).
import { resolve } from 'node:path';
import { CatalogAccessError } from '../core/catalog-files.js';
import type { LoadResult } from '../core/load.js';
import { formatDiagnostics, FORMATS, type Format } from './report.js';

export const EXIT_OK = 0;
export const EXIT_ERRORS = 1;
export const EXIT_USAGE = 2;

export interface CommonOptions {
  catalog: string;
  format: Format;
  strict?: boolean;
}

/** A problem with how steller was called or with the file system: printed plainly, exit 2. */
export class UsageError extends Error {}

export function parseFormat(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${value}"`);
  return value as Format;
}

export async function loadForCommand(options: CommonOptions): Promise<LoadResult> {
  const { loadCatalog } = await import('../core/load.js');
  try {
    return loadCatalog(resolve(options.catalog));
  } catch (error) {
    if (error instanceof CatalogAccessError) throw new UsageError(error.message);
    throw error;
  }
}

/** Prints the load's diagnostics; returns the exit code they call for. */
export function printDiagnostics(result: LoadResult, options: CommonOptions, extra?: { ok: boolean }): number {
  const diagnostics = result.report.sorted();
  const failed = result.report.hasErrors || (options.strict === true && diagnostics.length > 0) || extra?.ok === false;
  if (options.format === 'json') {
    process.stdout.write(formatDiagnostics(diagnostics, 'json', result.sources, false));
  } else if (diagnostics.length > 0 || options.format === 'text') {
    const stream = options.format === 'github' ? process.stdout : process.stderr;
    const text = formatDiagnostics(diagnostics, options.format, result.sources, Boolean(process.stderr.isTTY) && !process.env.NO_COLOR);
    if (options.format === 'github' || diagnostics.length > 0) stream.write(text);
  }
  return failed ? EXIT_ERRORS : EXIT_OK;
}

/** Progress and summaries go to stderr, so stdout stays clean for --format json. */
export function say(message: string): void {
  process.stderr.write(`${message}\n`);
}
