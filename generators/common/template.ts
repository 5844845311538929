// User templates (`template_file`): nunjucks, Jinja-compatible, autoescaped for XML. Catalog
// values reach a template only as data: they are escaped on output and never compiled.
import nunjucks from 'nunjucks';
import type { Catalog, Dataset } from '../../schemas/catalog.js';

export interface TemplateContext {
  dataset: Dataset;
  service: unknown;
  server: unknown;
  catalog: { name: string; project: Catalog['project'] };
}

/** Loads templates from the catalog's template texts only, so `{% include %}` cannot read other files. */
class CatalogTemplateLoader implements nunjucks.ILoader {
  constructor(private readonly templates: ReadonlyMap<string, string>) {}

  getSource(name: string): nunjucks.LoaderSource {
    const src = this.templates.get(name);
    if (src === undefined) throw new Error(`template "${name}" is not a template_file of this catalog`);
    return { src, path: name, noCache: false };
  }
}

const environments = new WeakMap<ReadonlyMap<string, string>, nunjucks.Environment>();

function environmentFor(catalog: Catalog): nunjucks.Environment {
  let env = environments.get(catalog.templates);
  if (!env) {
    env = new nunjucks.Environment(new CatalogTemplateLoader(catalog.templates), { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true });
    environments.set(catalog.templates, env);
  }
  return env;
}

export type RenderResult = { ok: true; text: string } | { ok: false; message: string };

/** Renders `templatePath` (compiled once per catalog) for one dataset and service. */
export function renderTemplate(catalog: Catalog, templatePath: string, context: TemplateContext): RenderResult {
  try {
    return { ok: true, text: environmentFor(catalog).render(templatePath, context) };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
    return { ok: false, message };
  }
}

export function templateContext(catalog: Catalog, dataset: Dataset, service: unknown, server: unknown): TemplateContext {
  return { dataset, service, server, catalog: { name: catalog.project.name, project: catalog.project } };
}
