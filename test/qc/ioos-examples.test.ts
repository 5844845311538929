// ioos_qc's own example configs (../shared/refs/ioos_qc) as datasets' `qc` blocks: accepted, and
// written out equivalent. "Equivalent" is judged by reading both files the way ioos_qc's
// Config.__init__ does (config.py: `contexts`, else `streams`, else a stream map when nested at
// least 4 deep, else a single-stream QcConfig), down to the calls it would make.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadCatalog } from '../../core/load.js';
import { tempDir } from '../helpers/cli.js';
import { describeWithShared, SHARED } from '../helpers/shared.js';
import { ioosQcCalls, renderQc, type Plain } from './helpers.js';
import { MINIMAL_PROJECT, writeCatalog } from '../helpers/write-catalog.js';

const REFS = join(SHARED, 'refs/ioos_qc');
const scratch = tempDir('steller-qc-refs-');
afterAll(() => scratch.cleanup());

function buildQc(dir: string, project: string, examples: readonly string[]) {
  const files: Record<string, string> = { 'steller.yaml': project };
  for (const name of examples) {
    const text = readFileSync(join(REFS, name), 'utf8');
    files[`datasets/refs/${name.replace(/\.yaml$/, '')}.yaml`] = `title: ioos_qc example ${name}\nqc:\n${text.replace(/^(?=.)/gm, '  ')}`;
  }
  writeCatalog(dir, files);
  const loaded = loadCatalog(dir);
  const tree = loaded.catalog ? renderQc(loaded.catalog, loaded.report) : undefined;
  return { loaded, tree };
}

describeWithShared('ioos_qc example configs as qc blocks', () => {
  const examples = exampleFiles();

  it('has the examples to judge', () => {
    expect(examples).toEqual(['pco2_contexts_v2_bbox.yaml', 'spike_test.yaml', 'water_level_contexts.yaml', 'windowed_contexts_aggregate.yaml']);
  });

  it.each([[2, examples], [3, examples.filter((e) => !e.includes('v2'))]] as const)('qc_version %s: accepted and written equivalent', (version, names) => {
    const { loaded, tree } = buildQc(join(scratch.dir, `v${version}`), `${MINIMAL_PROJECT}qc_version: ${version}\n`, names);
    expect(loaded.report.sorted().filter((d) => d.severity === 'error')).toEqual([]);
    for (const name of names) {
      const id = name.replace(/\.yaml$/, '');
      const written = tree?.get(`qc/${id}.yaml`);
      expect(written, id).toBeDefined();
      const out = parse(written ?? '') as Plain;
      expect(Object.keys(out), 'always the explicit contexts form').toEqual(['contexts']);
      expect(ioosQcCalls(out), id).toEqual(ioosQcCalls(parse(readFileSync(join(REFS, name), 'utf8')) as Plain));
    }
  });

  it('qc_version 3: the 2.x-only location_test.bbox is an error at its line, not silently dropped', () => {
    const { loaded } = buildQc(join(scratch.dir, 'v3-bbox'), MINIMAL_PROJECT, ['pco2_contexts_v2_bbox.yaml']);
    const errors = loaded.report.sorted().filter((d) => d.severity === 'error');
    const line = readFileSync(join(REFS, 'pco2_contexts_v2_bbox.yaml'), 'utf8').split('\n').findIndex((l) => l.includes('bbox:')) + 3;
    expect(errors.map((e) => `${e.line}:${e.code}`)).toEqual([`${line}:qc-version-mismatch`]);
  });
});

function exampleFiles(): string[] {
  try {
    return readdirSync(REFS).filter((f) => f.endsWith('.yaml')).sort();
  } catch {
    return [];
  }
}
