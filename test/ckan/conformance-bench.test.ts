// The CKAN files of the benchmark's generated 2,000-dataset catalog (the variety of a real regional
// association), judged by their consumers' rules (conformance.ts). A file of its own, so it runs
// beside the others.
import { afterAll } from 'vitest';
import { writeSyntheticCatalog } from '../../bench/synth.js';
import { tempDir } from '../helpers/cli.js';
import { describeCkanConformance } from './conformance.js';

const scratch = tempDir('steller-ckan-bench-');
afterAll(() => scratch.cleanup());

describeCkanConformance('the benchmark\'s generated 2,000-dataset catalog', () => {
  writeSyntheticCatalog(scratch.dir, { datasets: 2000 });
  return scratch.dir;
}, 10);
