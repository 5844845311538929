// The synthetic catalog generator: clean by steller's own judgement (validate and build), the
// variety it promises, byte-identical per seed, and YAML that PyYAML reads as steller does.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_WEIGHTS, kindSequence, writeSyntheticCatalog, type SyntheticCatalog } from '../../bench/synth.js';
import { loadCatalog } from '../../core/load.js';
import { readTree } from '../../core/output.js';
import type { Catalog } from '../../schemas/catalog.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { writeCatalog } from '../helpers/write-catalog.js';

const SIZE = 300;

describe(`a ${SIZE}-dataset synthetic catalog`, () => {
  const scratch = tempDir('steller-synth-');
  const root = join(scratch.dir, 'catalog');
  let written: SyntheticCatalog;
  let catalog: Catalog;

  beforeAll(() => {
    written = writeSyntheticCatalog(root, { datasets: SIZE, seed: 7 });
    const loaded = loadCatalog(root);
    if (!loaded.catalog) throw new Error(`does not load: ${JSON.stringify(loaded.report.sorted().slice(0, 5))}`);
    catalog = loaded.catalog;
  });
  afterAll(() => scratch.cleanup());

  it('validates with no errors through the CLI', () => {
    const result = runCli(['validate', '--catalog', root, '--format', 'json']);
    expect(JSON.parse(result.stdout).errors).toEqual([]);
    expect(result.status).toBe(0);
  });

  it('builds with no errors: every generator accepts every kind of record', () => {
    const result = runCli(['build', '--catalog', root, '--out', join(scratch.dir, 'out'), '--format', 'json'], { cwd: scratch.dir });
    expect(JSON.parse(result.stdout).errors).toEqual([]);
    expect(result.status).toBe(0);
  });

  it('has one file per dataset, spread over provider folders', () => {
    expect(catalog.datasets).toHaveLength(SIZE);
    expect(written.datasetFiles).toHaveLength(SIZE);
    const providers = new Set(catalog.datasets.map((d) => d.source_file.split('/')[1]));
    expect(providers.size).toBeGreaterThanOrEqual(12);
  });

  it('has buoys with 10-30 variables and QC streams in the contexts form, some windowed', () => {
    const buoys = catalog.datasets.filter((d) => d.source_file.includes('/buoys/') && !d.id.endsWith('_adcp'));
    const counts = buoys.map((d) => d.variables.length);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...counts)).toBeLessThanOrEqual(30);
    expect(Math.max(...counts) - Math.min(...counts)).toBeGreaterThanOrEqual(15);
    const contexts = buoys.flatMap((d) => d.qc?.contexts ?? []);
    expect(contexts.some((c) => c.window?.starting && c.window.ending)).toBe(true);
    const tests = new Set(contexts.flatMap((c) => Object.values(c.streams).flatMap((s) => Object.keys(s.qartod ?? {}))));
    expect([...tests].sort()).toEqual(['flat_line_test', 'gross_range_test', 'rate_of_change_test', 'spike_test']);
  });

  it('has tide gauges, gridded model runs with a THREDDS featureCollection, satellite products with a datasetScan, and remote ERDDAP mirrors', () => {
    const erddapTypes = new Set(catalog.datasets.flatMap((d) => d.services.erddap.map((s) => s.type)));
    for (const type of ['EDDTableFromAsciiFiles', 'EDDGridFromDap', 'EDDGridFromNcFiles', 'EDDTableFromErddap', 'EDDGridFromErddap', 'EDDTableFromDapSequence', 'EDDTableFromMultidimNcFiles']) {
      expect(erddapTypes).toContain(type);
    }
    const grids = catalog.datasets.filter((d) => d.services.erddap.some((s) => s.protocol === 'griddap') && d.variables.some((v) => v.axis));
    expect(grids.length).toBeGreaterThan(0);
    const threddsOptions = catalog.datasets.flatMap((d) => d.services.thredds.map((s) => Object.keys(s.options ?? {})[0]));
    expect(threddsOptions).toContain('featureCollection');
    expect(threddsOptions).toContain('datasetScan');
    expect(catalog.datasets.some((d) => d.attributes.tidal_station_datum === 'MLLW')).toBe(true);
  });

  it('has H schedules, secrets by reference, CKAN records, both ERDDAP servers and provider templates', () => {
    expect(catalog.datasets.filter((d) => d.schedule?.includes('H')).length).toBeGreaterThan(SIZE / 2);
    expect(catalog.datasets.some((d) => d.secrets.some((s) => s.key.startsWith('/')))).toBe(true);
    expect(catalog.datasets.filter((d) => d.services.ckan.length > 0)).toHaveLength(SIZE);
    expect(new Set(catalog.datasets.flatMap((d) => d.services.erddap.map((s) => s.server_key)))).toEqual(new Set(['data', 'sensors']));
    expect(catalog.datasets.some((d) => d.services.erddap.some((s) => s.template_file) && d.services.thredds.some((s) => s.template_file))).toBe(true);
  });

  it('is read the same by PyYAML (the baseline) as by steller', { skip: !pythonHas('yaml') }, () => {
    const files = [...readTree(root).keys()].filter((f) => f.endsWith('.yaml'));
    // The C loader where present, only for speed: it resolves types exactly as yaml.safe_load does.
    const script = 'import json, sys, yaml\nLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)\nprint(json.dumps({f: yaml.load(open(f, encoding="utf-8"), Loader=Loader) for f in sys.argv[1:]}))';
    const python = spawnSync('python3', ['-c', script, ...files], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
    const fromPython = JSON.parse(python.stdout) as Record<string, unknown>;
    for (const file of files) expect(fromPython[file], file).toEqual(parse(readFileSync(join(root, file), 'utf8')));
  });
});

describe('writeSyntheticCatalog', () => {
  const scratch = tempDir('steller-synth-seed-');
  afterAll(() => scratch.cleanup());

  it('writes byte-identical catalogs for the same seed, and other ones for another seed', () => {
    const write = (name: string, seed: number) => {
      writeSyntheticCatalog(join(scratch.dir, name), { datasets: 120, seed });
      return readTree(join(scratch.dir, name));
    };
    const first = write('a', 3);
    expect(write('b', 3)).toEqual(first);
    const other = write('c', 4);
    expect(other.get('steller.yaml')).not.toEqual(first.get('steller.yaml'));
    expect([...other.values()].join('')).not.toEqual([...first.values()].join(''));
  });

  it('replaces an earlier synthetic catalog, and refuses any other folder that holds files', () => {
    const dir = join(scratch.dir, 'a');
    writeSyntheticCatalog(dir, { datasets: 5, seed: 9 });
    expect(readTree(dir).size).toBe(5 + 3);
    const other = join(scratch.dir, 'other');
    writeCatalog(other, { 'notes.txt': 'mine' });
    expect(() => writeSyntheticCatalog(other, { datasets: 1 })).toThrow(/not empty/);
    expect(readTree(other).get('notes.txt')).toBe('mine');
  });

  it('gives every kind its weight, and even a tiny catalog every kind', () => {
    const counts = (kinds: string[]) => Object.fromEntries(Object.keys(KIND_WEIGHTS).map((k) => [k, kinds.filter((x) => x === k).length]));
    expect(counts(kindSequence(10, 1))).toEqual(Object.fromEntries(Object.keys(KIND_WEIGHTS).map((k) => [k, 1])));
    const big = counts(kindSequence(10_010, 1));
    for (const [kind, weight] of Object.entries(KIND_WEIGHTS)) expect(big[kind]).toBe(1 + weight * 100);
  });

  it('runs as a CLI and says what it wrote; bad arguments exit 2', () => {
    const script = join(import.meta.dirname, '../../dist/bench/synth.js');
    const out = join(scratch.dir, 'cli');
    const ok = spawnSync(process.execPath, [script, '--datasets', '25', '--out', out], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stderr).toMatch(/wrote .*: 25 datasets \(buoy \d+, .*\)/);
    expect(readTree(out).size).toBe(25 + 3);
    const bad = spawnSync(process.execPath, [script, '--datasets', 'many', '--out', out], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/usage:/);
  });
});

function pythonHas(module: string): boolean {
  return spawnSync('python3', ['-c', `import ${module}`]).status === 0;
}
