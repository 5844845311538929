// Synthetic catalogs with the variety of a real regional association (buoys with many variables
// and QC, tide gauges, model runs, satellite products, remote ERDDAP mirrors, a provider with
// its own templates), of any size, byte-identical for the same seed. Used by the benchmark and
// by tests that need a large catalog.
//
//   node dist/bench/synth.js --datasets 2000 --out /tmp/catalog [--seed 1]
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BUILDERS, KIND_WEIGHTS, type Kind, type SyntheticDataset } from './synth/datasets.js';
import { PORTS_ERDDAP_TEMPLATE, PORTS_THREDDS_TEMPLATE, projectYaml, RA_DOMAIN, SYNTHETIC_MARK } from './synth/project.js';
import { derivedSeed, seededRandom } from './synth/random.js';
import { yamlDocument } from './synth/yaml-text.js';

export { KIND_WEIGHTS, type Kind } from './synth/datasets.js';

export interface SynthOptions {
  datasets: number;
  seed?: number;
}

export interface SyntheticCatalog {
  /** Dataset files relative to the catalog folder, in catalog order. */
  datasetFiles: string[];
  kinds: Record<Kind, number>;
  /** Total bytes written. */
  bytes: number;
}

export const DEFAULT_SEED = 1;
const KINDS = Object.keys(KIND_WEIGHTS) as Kind[];

/**
 * The kind of every dataset: first one of each (so even a tiny catalog has the full variety),
 * then shuffled decks in which each kind appears as often as its weight says.
 */
export function kindSequence(count: number, seed: number): Kind[] {
  const kinds = KINDS.slice(0, count);
  const deck = KINDS.flatMap((kind) => Array<Kind>(KIND_WEIGHTS[kind]).fill(kind));
  for (let block = 0; kinds.length < count; block++) {
    kinds.push(...seededRandom(derivedSeed(seed, -1 - block)).shuffle(deck).slice(0, count - kinds.length));
  }
  return kinds;
}

/** The dataset records of a catalog, without writing anything. */
export function syntheticDatasets(count: number, seed = DEFAULT_SEED): SyntheticDataset[] {
  return kindSequence(count, seed).map((kind, index) => BUILDERS[kind]({ index, rng: seededRandom(derivedSeed(seed, index)), domain: RA_DOMAIN }));
}

/**
 * Writes a complete catalog (steller.yaml, templates, dataset files) into `dir`: a new or empty
 * folder, or one that holds an earlier synthetic catalog, which is replaced.
 */
export function writeSyntheticCatalog(dir: string, options: SynthOptions): SyntheticCatalog {
  const { datasets: count, seed = DEFAULT_SEED } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`datasets must be a whole number ≥ 0, not ${count}`);
  clearEarlierCatalog(dir);
  const files = new Map<string, string>([
    ['steller.yaml', projectYaml(count, seed)],
    ['datasets/noaa-ports/erddap.xml.jinja', PORTS_ERDDAP_TEMPLATE],
    ['datasets/noaa-ports/thredds.xml.jinja', PORTS_THREDDS_TEMPLATE],
  ]);
  const kinds = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  const datasetFiles: string[] = [];
  for (const dataset of syntheticDatasets(count, seed)) {
    files.set(dataset.file, yamlDocument(dataset.record));
    datasetFiles.push(dataset.file);
    kinds[dataset.kind]++;
  }
  let bytes = 0;
  const made = new Set<string>();
  for (const [path, text] of files) {
    const target = join(dir, path);
    const folder = dirname(target);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    writeFileSync(target, text);
    bytes += Buffer.byteLength(text);
  }
  return { datasetFiles, kinds, bytes };
}

/** Only a folder this generator wrote (its steller.yaml says so) is cleared; anything else is refused. */
function clearEarlierCatalog(dir: string): void {
  if (!existsSync(dir) || readdirSync(dir).length === 0) return;
  const project = join(dir, 'steller.yaml');
  if (!existsSync(project) || !readFileSync(project, 'utf8').startsWith(SYNTHETIC_MARK)) {
    throw new Error(`${dir} is not empty and holds no earlier synthetic catalog: write into a new folder`);
  }
  rmSync(join(dir, 'datasets'), { recursive: true, force: true });
  rmSync(project);
}

function main(argv: string[]): number {
  const usage = 'usage: node dist/bench/synth.js --datasets N --out DIR [--seed S]';
  let values: { datasets?: string; out?: string; seed?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { datasets: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } } }));
  } catch (error) {
    process.stderr.write(`synth: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  const count = Number(values.datasets);
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (!values.out || !Number.isInteger(count) || count < 0 || !Number.isInteger(seed)) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  try {
    const started = performance.now();
    const result = writeSyntheticCatalog(values.out, { datasets: count, seed });
    const summary = Object.entries(result.kinds).filter(([, n]) => n > 0).map(([kind, n]) => `${kind} ${n}`).join(', ');
    process.stderr.write(`wrote ${values.out}: ${count} datasets (${summary}), ${(result.bytes / 1048576).toFixed(1)} MiB in ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`synth: ${(error as Error).message}\n`);
    return 2;
  }
}

const invokedAs = process.argv[1] ? pathToFileURL(realpathSync(process.argv[1])).href : '';
if (import.meta.url === invokedAs) process.exitCode = main(process.argv.slice(2));
