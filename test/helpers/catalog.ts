// Loads a catalog in-process, for tests of the model, rules and generators.
import { loadCatalog } from '../../core/load.js';
import { renderCatalog } from '../../core/build.js';
import { EXAMPLE_CATALOG } from './cli.js';

export function loadExample() {
  const result = loadCatalog(EXAMPLE_CATALOG);
  if (!result.catalog) throw new Error(`example catalog does not load: ${JSON.stringify(result.report.sorted(), null, 2)}`);
  return { ...result, catalog: result.catalog };
}

export function renderExample() {
  const loaded = loadExample();
  const tree = renderCatalog(loaded.catalog, loaded.report);
  return { ...loaded, tree };
}
