// Loads a catalog and runs the CKAN generator alone through the build pipeline, in-process: the
// conformance tests judge its files without depending on the other generators.
import { renderCatalog } from '../../core/build.js';
import { loadCatalog } from '../../core/load.js';
import { ckanGenerator } from '../../generators/ckan/index.js';

export function renderCkan(catalogDir: string) {
  const { catalog, report } = loadCatalog(catalogDir);
  if (!catalog) throw new Error(`catalog does not load: ${JSON.stringify(report.sorted().filter((d) => d.severity === 'error').slice(0, 5), null, 2)}`);
  const files = renderCatalog(catalog, report, { generators: [ckanGenerator] });
  return { catalog, report, files };
}

/** The files of one CKAN server, by their path below ckan/<server>/. */
export function serverFiles(files: ReadonlyMap<string, { content: string }>, server: string): Map<string, string> {
  const prefix = `ckan/${server}/`;
  return new Map([...files].filter(([path]) => path.startsWith(prefix)).map(([path, file]) => [path.slice(prefix.length), file.content]));
}
