// Locates `template_file`s: relative to the dataset file, inside the catalog folder, existing.
// Their texts are read once here so generators stay free of I/O.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import type { Reporter, SourceRef } from './diagnostics.js';

const MAX_TEMPLATE_BYTES = 1024 * 1024;

export class TemplateResolver {
  readonly texts = new Map<string, string>();
  private readonly failed = new Set<string>();
  private readonly rootReal: string;

  constructor(private readonly root: string, private readonly report: Reporter) {
    this.rootReal = realpathSync(root);
  }

  /** Returns the template's catalog-relative path, or undefined after reporting why it cannot be used. */
  resolve(datasetFile: string, templateFile: string, at: SourceRef): string | undefined {
    if (isAbsolute(templateFile) || /^[a-z][a-z0-9+.-]*:/i.test(templateFile)) {
      this.report.error('path-escape', `template_file "${templateFile}" must be a path relative to the dataset file`, at, 'e.g. ../erddap.xml.jinja');
      return undefined;
    }
    const relativePath = posix.normalize(posix.join(posix.dirname(datasetFile), templateFile.replaceAll('\\', '/')));
    if (relativePath === '..' || relativePath.startsWith('../')) {
      this.report.error('path-escape', `template_file "${templateFile}" points outside the catalog folder`, at, 'keep templates inside the catalog, e.g. in templates/');
      return undefined;
    }
    return this.load(relativePath, at, templateFile);
  }

  /** Reads a template by its catalog-relative path (once); undefined after reporting why not. */
  load(relativePath: string, at: SourceRef, templateFile = relativePath): string | undefined {
    if (this.texts.has(relativePath)) return relativePath;
    if (this.failed.has(relativePath)) {
      this.report.error('missing-template', `template_file "${templateFile}" (${relativePath}) cannot be read`, at);
      return undefined;
    }
    const absolute = resolve(this.root, relativePath);
    try {
      const real = realpathSync(absolute);
      const inside = relative(this.rootReal, real);
      if (inside.startsWith('..') || isAbsolute(inside) || inside.split(sep)[0] === '..') {
        this.report.error('path-escape', `template_file "${templateFile}" links outside the catalog folder`, at);
        this.failed.add(relativePath);
        return undefined;
      }
      const size = statSync(real).size;
      if (size > MAX_TEMPLATE_BYTES) throw new Error(`template is ${size} bytes (limit ${MAX_TEMPLATE_BYTES})`);
      this.texts.set(relativePath, readFileSync(real, 'utf8'));
      return relativePath;
    } catch (error) {
      this.failed.add(relativePath);
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      this.report.error('missing-template', missing ? `template_file "${templateFile}" does not exist (looked for ${relativePath})` : `template_file "${templateFile}": ${(error as Error).message}`,
        at, missing ? 'the path is relative to the dataset file' : undefined);
      return undefined;
    }
  }
}
