// The example catalog's CKAN files, and a stress catalog of edge cases (ids that collide once
// munged or are reserved words, hostile text, inactive services, two CKAN servers), judged by
// their consumers' rules (conformance.ts).
import { afterAll } from 'vitest';
import { EXAMPLE_CATALOG, tempDir } from '../helpers/cli.js';
import { describeCkanConformance } from './conformance.js';
import { writeSyntheticCatalog } from './synthetic.js';

const scratch = tempDir('steller-ckan-stress-');
afterAll(() => scratch.cleanup());

describeCkanConformance('the example catalog', () => EXAMPLE_CATALOG, 1);
describeCkanConformance('a 600-dataset stress catalog', () => writeSyntheticCatalog(scratch.dir, { count: 600 }), 3);
