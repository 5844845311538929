// A patch build (core/patch.ts) must give what a whole build gives, byte for byte and diagnostic
// for diagnostic. It rests on one claim: each generator's plan and renderings read of a dataset
// only what the generator declares (`planReads`, `renderReads`), and of other generators' files
// only what it declares (`inputReads`); the first tests hold every generator, and the catalog's
// rules, to it.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTree } from '../../core/output.js';
import { checkCatalogRules, CATALOG_RULES_READ } from '../../core/rules.js';
import { loadCatalog } from '../../core/load.js';
import { runBuild } from '../../core/pipeline.js';
import { GENERATORS } from '../../generators/index.js';
import { GENERATOR_MODULES } from '../../generators/modules.js';
import type { DatasetField, Generator, OutputFile } from '../../generators/types.js';
import type { Catalog, Dataset } from '../../schemas/catalog.js';
import { writeSyntheticCatalog } from '../../bench/synth.js';
import { select } from '../../core/build-trace.js';
import { copyExampleCatalog, REPO, tempDir } from '../helpers/cli.js';
import { HAS_SHARED, SHARED } from '../helpers/shared.js';

const scratch = tempDir('steller-patch-');
afterAll(() => scratch.cleanup());

/** Who reads datasets, and what it says it reads: a generator, or the catalog's rules. */
type Reader = Pick<Generator, 'name' | 'planReads' | 'renderReads' | 'renderReadsWhen'>;

/** What a reader's renderings may read of this dataset: `renderReads`, and the conditional reads whose condition it meets. */
function renderReadsOf(reader: Reader, dataset: Dataset): readonly string[] | undefined {
  if (!reader.renderReads) return undefined;
  const met = (reader.renderReadsWhen ?? []).filter(({ when }) => ![undefined, null, false].includes(select(dataset, when) as never));
  return [...reader.renderReads, ...met.flatMap(({ reads }) => reads)];
}

/** Whether reading `path` is within what `declared` lists (a field or path covers all below it; a key of every item, the list's length). */
function covered(path: string, declared: readonly string[]): boolean {
  const list = path.endsWith('.length') ? path.slice(0, -'.length'.length) : undefined;
  return declared.some((d) => path === d || path.startsWith(`${d}.`) || path.startsWith(`${d}[]`) || (list !== undefined && d.startsWith(`${list}[]`)));
}

/**
 * Runs the catalog's rules and the generators as a build does, over datasets that watch who reads
 * what of them, down to each key of each nested value, and lists each read the declarations do
 * not cover: a plan reading a value (or a list's length) not in its `planReads.values`, or testing
 * for a field in neither list; a rendering reading a field not in its `renderReads`. Listing keys
 * reads them all.
 */
function undeclaredReads(catalog: Catalog, generators: readonly Generator[] = GENERATORS): string[] {
  const reads = new Set<string>();
  let rendering = 0;
  let reader: Reader | undefined;
  const note = (dataset: Dataset, path: string, presence: boolean) => {
    const field = path.split(/[.[]/)[0];
    if (!reader || field === 'source_file') return;
    if (rendering > 0) {
      const declared = renderReadsOf(reader, dataset);
      if (declared && !covered(path, declared)) reads.add(`${reader.name} renders ${path} of ${dataset.id}, not in its renderReads`);
      return;
    }
    const declared = reader.planReads;
    if (!declared || covered(path, declared.values) || (presence && declared.presence?.includes(path as DatasetField))) return;
    reads.add(`${reader.name} ${presence ? 'tests for' : 'reads'} ${path} of ${dataset.id} in its plan`);
  };
  const proxies = new WeakMap<object, unknown>();
  const watch = (dataset: Dataset, value: unknown, path: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const known = proxies.get(value);
    if (known) return known;
    const list = Array.isArray(value);
    const at = (key: string) => (path === '' ? key : list ? (/^\d+$/.test(key) ? `${path}[]` : `${path}.length`) : `${path}.${key}`);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        const got = Reflect.get(target, key, receiver) as unknown;
        if (typeof key !== 'string') {
          if (list && key === Symbol.iterator) note(dataset, `${path}.length`, false);
          return got;
        }
        const child = at(key);
        if (got === null || typeof got !== 'object' || child.endsWith('.length')) note(dataset, child, false);
        return typeof got === 'function' ? got : watch(dataset, got, child);
      },
      has(target, key) {
        if (typeof key === 'string') note(dataset, list ? `${path}.length` : at(key), path === '');
        return Reflect.has(target, key);
      },
      getOwnPropertyDescriptor(target, key) {
        if (typeof key === 'string') note(dataset, list ? `${path}.length` : at(key), path === '');
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
      ownKeys(target) {
        note(dataset, path === '' ? 'every field' : `${path}.*`, path === '');
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  const view: Catalog = { ...catalog, datasets: catalog.datasets.map((d) => watch(d, d, '') as Dataset) };
  const report = loadCatalog(join(REPO, 'catalog')).report;
  reader = { name: 'the catalog rules', planReads: { values: CATALOG_RULES_READ } };
  checkCatalogRules(view.datasets, report);
  const inputs = new Map<string, OutputFile>();
  for (const generator of generators) {
    reader = generator;
    const perDataset = <T>(_dataset: Dataset, render: (salt: string) => T, salt = ''): T => {
      rendering++;
      try {
        return render(salt);
      } finally {
        rendering--;
      }
    };
    const given = generator.inputReads === 'listing' ? listingOf(inputs, generator.name, reads) : inputs;
    for (const file of generator.generate(view, { report, inputs: given, perDataset })) inputs.set(file.path, file);
  }
  return [...reads];
}

/** The files as a generator that reads only their listing sees them: a read of their bytes is noted. */
function listingOf(inputs: ReadonlyMap<string, OutputFile>, name: string, reads: Set<string>): Map<string, OutputFile> {
  const bytesOf = <T>(file: OutputFile, what: string, read: () => T): T => {
    reads.add(`${name} reads the ${what} of ${file.path}, but declares inputReads: listing`);
    return read();
  };
  return new Map([...inputs].map(([path, file]) => [path, {
    path: file.path,
    datasets: file.datasets,
    get content() {
      return bytesOf(file, 'content', () => file.content);
    },
    get pieces() {
      return bytesOf(file, 'pieces', () => file.pieces);
    },
  }]));
}

function loaded(root: string): Catalog {
  const { catalog, report } = loadCatalog(root);
  if (!catalog) throw new Error(report.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`).join('\n'));
  return catalog;
}

describe('what plans and renderings read of a dataset is what their generators declare', () => {
  it('over the example catalog', () => {
    expect(undeclaredReads(loaded(join(REPO, 'catalog')))).toEqual([]);
  });

  it.skipIf(!HAS_SHARED)('over the seed catalog (skipped without ../shared)', () => {
    expect(undeclaredReads(loaded(join(SHARED, 'catalogs', 'seed')))).toEqual([]);
  });

  it('over a synthetic catalog with every kind of dataset the benchmark makes', () => {
    const dir = join(scratch.dir, 'synthetic');
    writeSyntheticCatalog(dir, { datasets: 200 });
    expect(undeclaredReads(loaded(dir))).toEqual([]);
  });

  it('generators/modules.ts names each generator as the generator names itself', async () => {
    expect(await Promise.all(GENERATOR_MODULES.map(async (m) => (await m.load()).name))).toEqual(GENERATOR_MODULES.map((m) => m.name));
  });

  it('the check sees a rendering that reads a field its generator does not declare', () => {
    const titled: Generator = {
      name: 'titled',
      renderReads: ['summary'],
      generate: (catalog, ctx) => catalog.datasets.map((d) => ({ path: `${d.id}.txt`, content: ctx.perDataset(d, () => d.title), datasets: [d.id] })),
    };
    expect(undeclaredReads(loaded(join(REPO, 'catalog')), [titled])[0]).toMatch(/^titled renders title of .*, not in its renderReads$/);
  });

  it('the check sees a rendering that reads what it declares only for datasets that meet a condition, of one that does not', () => {
    const flags: Generator = {
      name: 'flags',
      renderReads: ['kubernetes'],
      renderReadsWhen: [{ when: 'kubernetes.erddap_flag', reads: ['services.erddap'] }],
      generate: (catalog, ctx) => catalog.datasets.map((d) => ({ path: `${d.id}.txt`, content: ctx.perDataset(d, () => d.services.erddap.map((s) => s.dataset_id).join()), datasets: [d.id] })),
    };
    const flagged = loaded(join(REPO, 'catalog')).datasets.filter((d) => d.kubernetes.erddap_flag).map((d) => d.id);
    const reads = undeclaredReads(loaded(join(REPO, 'catalog')), [flags]);
    expect(flagged.length).toBeGreaterThan(0);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((read) => flagged.some((id) => read.includes(` of ${id},`)))).toEqual([]);
    expect(reads[0]).toMatch(/^flags renders services\.erddap(\.length|\[\]\.dataset_id) of .*, not in its renderReads$/);
  });

  it('the check sees a generator that reads the bytes of files whose listing alone it declares it reads', () => {
    const sizes: Generator = {
      name: 'sizes',
      after: ['erddap'],
      inputReads: 'listing',
      generate: (_catalog, ctx) => [{ path: 'sizes.txt', content: [...ctx.inputs.values()].map((f) => `${f.path} ${f.datasets.length} ${f.content.length}`).join('\n'), datasets: [] }],
    };
    const erddap = GENERATORS.find((g) => g.name === 'erddap') as Generator;
    expect(undeclaredReads(loaded(join(REPO, 'catalog')), [erddap, sizes])[0]).toMatch(/^sizes reads the content of erddap\/.*, but declares inputReads: listing$/);
    expect(undeclaredReads(loaded(join(REPO, 'catalog')), [erddap, { ...sizes, inputReads: undefined }])).toEqual([]);
  });

  it('the check sees a plan that reads a key of a nested value it does not declare', () => {
    const byServer: Generator = {
      name: 'by-server',
      planReads: { values: ['id', 'services.erddap.length'] },
      generate: (catalog) => [{ path: 'servers.txt', content: catalog.datasets.map((d) => d.services.erddap[0]?.server_key ?? '').join('\n'), datasets: [] }],
    };
    expect(undeclaredReads(loaded(join(REPO, 'catalog')), [byServer])[0]).toMatch(/^by-server reads services\.erddap\[\]\.server_key of /);
    expect(undeclaredReads(loaded(join(REPO, 'catalog')), [{ ...byServer, planReads: { values: ['id', 'services.erddap[].server_key'] } }])).toEqual([]);
  });

  it('the check sees a plan that reads a value it does not declare', () => {
    const sortsByTitle: Generator = {
      name: 'sorted',
      planReads: { values: ['id'], presence: ['title'] },
      generate: (catalog) => [{ path: 'sorted.txt', content: [...catalog.datasets].sort((a, b) => a.title.localeCompare(b.title)).map((d) => d.id).join('\n'), datasets: [] }],
    };
    expect(undeclaredReads(loaded(join(REPO, 'catalog')), [sortsByTitle])[0]).toMatch(/^sorted reads title of /);
  });

  it('the check sees a plan that tests for a field, or lists them all, without declaring it', () => {
    const summarized: Generator = {
      name: 'summarized',
      planReads: { values: ['id'] },
      generate: (catalog) => [{ path: 'summarized.txt', content: catalog.datasets.filter((d) => 'summary' in d).map((d) => d.id).join('\n'), datasets: [] }],
    };
    expect(undeclaredReads(loaded(join(REPO, 'catalog')), [summarized])[0]).toMatch(/^summarized tests for summary of /);
    const counted: Generator = { ...summarized, name: 'counted', generate: (catalog) => [{ path: 'n.txt', content: catalog.datasets.map((d) => Object.keys(d).length).join(), datasets: [] }] };
    expect(undeclaredReads(loaded(join(REPO, 'catalog')), [counted])[0]).toMatch(/^counted tests for every field of /);
  });
});

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readTree(dir));
}

describe('patch builds give what a whole build gives', () => {
  const catalog = copyExampleCatalog(scratch.dir);
  const warm = join(scratch.dir, 'out-warm');
  const cold = join(scratch.dir, 'out-cold');
  const cacheDir = join(scratch.dir, 'cache');
  const edit = (file: string, change: (text: string) => string) => {
    const path = join(catalog, 'datasets', file);
    const before = readFileSync(path, 'utf8');
    const after = change(before);
    expect(after, `the edit of ${file} changes nothing`).not.toBe(before);
    writeFileSync(path, after);
  };

  /** Builds with the cache and from scratch; both must agree. Returns whether the first was a patch. */
  async function buildBoth(): Promise<boolean> {
    const incremental = await runBuild({ catalog, out: warm, cacheDir });
    rmSync(cold, { recursive: true, force: true });
    const whole = await runBuild({ catalog, out: cold, cacheDir: false });
    expect(incremental.report.sorted()).toEqual(whole.report.sorted());
    expect(incremental.report.hasErrors).toBe(false);
    expect(snapshot(warm)).toEqual(snapshot(cold));
    return incremental.patched === true;
  }

  it('a first whole build', async () => {
    expect(await buildBoth()).toBe(false);
  });

  const patched: [string, string, (text: string) => string][] = [
    // The harvest plan asks whether there is a schedule: it plans again, and the lock lists the
    // dataset in its namespace's file. First, from the example as it is: a new job can move other
    // jobs' planned names (their QC ConfigMap), and then the patch declines.
    ['a schedule where there was none (a new CronJob)', 'external/ndbc_44013.yaml', (t) => t.replace(/^title: (.*)$/m, 'title: $1\nschedule: "H * * * *"')],
    ['the schedule, removed again', 'external/ndbc_44013.yaml', (t) => t.replace('\nschedule: "H * * * *"', '')],
    ['a title', 'buoys/B01_met.yaml', (t) => t.replace('title: NERACOOS Buoy B01', 'title: NERACOOS Buoy B01 (moored)')],
    ['a summary', 'buoys/B01_met.yaml', (t) => t.replace('Hourly meteorological', 'Hourly & "quoted" <meteorological>')],
    ['keywords', 'buoys/B01_met.yaml', (t) => t.replace('keywords: [meteorology,', 'keywords: [weather, meteorology,')],
    ['a global attribute', 'buoys/B01_met.yaml', (t) => t.replace('infoUrl: https://neracoos.org/platform/B01', 'infoUrl: https://neracoos.org/platform/B01?view=met')],
    ['a variable attribute', 'buoys/B01_met.yaml', (t) => t.replace('units: degree_Celsius', 'units: degC')],
    ['a title that shortens the files', 'buoys/A01_met.yaml', (t) => t.replace(/^title: .*$/m, 'title: A01')],
    ['a title rendered through the provider\'s templates', 'ports/PORTS_CC_realtime.yaml', (t) => t.replace('title: NOS CO-OPS Currents Data, Cape Cod Canal', 'title: NOS CO-OPS Currents, Cape Cod Canal')],
    ['an added variable', 'buoys/B01_met.yaml', (t) => t.replace(/(\n  - \{ name: wind_direction[^\n]*)/, '$1\n  - { name: wind_gust, type: float, units: m s-1, attributes: { standard_name: wind_speed_of_gust, ioos_category: Wind } }')],
    ['another title', 'buoys/A01_met.yaml', (t) => t.replace(/^title: .*$/m, 'title: A01 again')],
    ['the title it had two builds ago', 'buoys/A01_met.yaml', (t) => t.replace(/^title: .*$/m, 'title: A01')],
    ['a schedule (a CronJob and the CKAN records\' frequency)', 'buoys/B01_met.yaml', (t) => t.replace('schedule: "H * * * *"', 'schedule: "H/30 * * * *"')],
    ['a retry policy it did not have', 'buoys/B01_met.yaml', (t) => t.replace('schedule: "H/30 * * * *"\n', 'schedule: "H/30 * * * *"\nretry: { max_retries: 5, delay: 60 }\n')],
    ['the job\'s resources', 'buoys/A01_sbe37.yaml', (t) => t.replace('limits: { memory: 1Gi }', 'limits: { memory: 2Gi }')],
    ['the source', 'buoys/B01_met.yaml', (t) => t.replace('parameters: { platform: B01, package: met }', 'parameters: { platform: B01, package: met, version: 2 }')],
    ['an ERDDAP option (the plans count services, the renderings read them)', 'buoys/B01_met.yaml', (t) => t.replace('reloadEveryNMinutes: 60', 'reloadEveryNMinutes: 30')],
    ['a QC threshold (its config, and its entry in the ConfigMap)', 'buoys/A01_sbe37.yaml', (t) => t.replace('gross_range_test: { suspect_span: [-1.5, 18], fail_span: [-2.5, 30] }', 'gross_range_test: { suspect_span: [-1.5, 19], fail_span: [-2.5, 31] }')],
  ];
  for (const [what, file, change] of patched) {
    it(`patches after a change to ${what}`, async () => {
      edit(file, change);
      expect(await buildBoth()).toBe(true);
    });
  }

  it('patches two datasets at once, one of them with a warning it did not have', async () => {
    edit('buoys/B01_met.yaml', (t) => t.replace('title: NERACOOS Buoy B01 (moored)', 'title: B01'));
    edit('buoys/A01_met.yaml', (t) => t.replace(/(- \{ name: air_temperature[^\n]*?), ioos_category: Meteorology/, '$1'));
    expect(await buildBoth()).toBe(true);
    // Nothing changed since: answered from the patch's record, with the patch's diagnostics.
    const again = await runBuild({ catalog, out: warm, cacheDir });
    expect(again.fromRecord).toBe(true);
    expect(again.report.diagnostics.map((d) => `${d.file} ${d.code}`)).toContain('datasets/buoys/A01_met.yaml ioos-category-inferred');
  });

  it('builds whole when a plan reported a problem in the changed file (its line may move)', async () => {
    writeFileSync(join(catalog, 'datasets', 'buoys', 'Z01_idle.yaml'), 'title: Z01\nsecrets:\n  - { env: API_KEY, key: /z01/api_key }\n');
    expect(await buildBoth()).toBe(false);
    edit('buoys/Z01_idle.yaml', (t) => t.replace('title: Z01\n', 'title: Z01\nsummary: >\n  An idle buoy,\n  on two lines.\n'));
    expect(await buildBoth()).toBe(false);
    const again = await runBuild({ catalog, out: warm, cacheDir });
    expect(again.report.diagnostics.find((d) => d.code === 'unused-secrets')).toMatchObject({ file: 'datasets/buoys/Z01_idle.yaml', line: 6 });
  });

  it('builds whole when out/ was edited by hand (even to the same size), and puts the file right', async () => {
    const xml = join(warm, 'erddap', 'data', 'datasets.xml');
    writeFileSync(xml, readFileSync(xml, 'utf8').replace('Written by steller', 'Written bY steller'));
    edit('buoys/B01_met.yaml', (t) => t.replace('title: B01', 'title: B01 (hand-edited out/)'));
    expect(await buildBoth()).toBe(false);
  });

  it('leaves a file alone when its new Texts are the old ones: a schedule at another minute, the same period', async () => {
    edit('buoys/B01_met.yaml', (t) => t.replace('schedule: "H/30 * * * *"', 'schedule: "*/30 * * * *"'));
    const incremental = await runBuild({ catalog, out: warm, cacheDir });
    expect(incremental.patched).toBe(true);
    expect(incremental.changes?.changed).toEqual(['k8s/sea-eagle/harvest.yaml', 'steller.lock.json']);
    rmSync(cold, { recursive: true, force: true });
    await runBuild({ catalog, out: cold, cacheDir: false });
    expect(snapshot(warm)).toEqual(snapshot(cold));
  });

  const whole: [string, string, (text: string) => string][] = [
    ['the secrets', 'tides/hohonu_saugus.yaml', (t) => t.replace('  - { env: ERDDAP_FLAG_KEY, key: /sea-eagle/erddap/flag_key }\n', '')],
    ['a CKAN service removed (the CKAN plan counts them)', 'external/ndbc_44013.yaml', (t) => t.replace('  ckan:\n    - server: catalog\n', '')],
    ['QC where there was none', 'external/ndbc_44013.yaml', (t) => t.replace(/^title: (.*)$/m, 'title: $1\nqc:\n  qartod:\n    contexts:\n      - streams: { atmp: { qartod: { gross_range_test: { suspect_span: [0, 30], fail_span: [-5, 40] } } } }')],
    // The ConfigMaps are packed by sizes in steps of 256 bytes (charts/qc-configmaps.ts): another step, another plan.
    ['a QC stream that adds more than a step to the config\'s packed size', 'buoys/A01_sbe37.yaml', (t) => t.replace('      - streams:\n', `      - streams:\n${[
      '          depth:', '            qartod:', '              gross_range_test: { suspect_span: [0, 150], fail_span: [0, 200] }', '              spike_test: { suspect_threshold: 1, fail_threshold: 2 }',
      '              flat_line_test: { suspect_threshold: 3600, fail_threshold: 7200, tolerance: 0.01 }', '              rate_of_change_test: { threshold: 0.5 }',
    ].join('\n')}\n`)],
  ];
  for (const [what, file, change] of whole) {
    it(`builds whole after a change to ${what}`, async () => {
      edit(file, change);
      expect(await buildBoth()).toBe(false);
    });
  }

  // A datasetID orders datasets.xml: the ERDDAP plan runs again over the recorded views of the
  // other datasets, with their fragments from the cache; the catalog's rules check the changed
  // datasets' names against the holders the trace records.
  /** Makes each edit in turn; each must build as a patch. */
  async function patchesEach(edits: [file: string, change: (text: string) => string][]): Promise<void> {
    for (const [file, change] of edits) {
      edit(file, change);
      expect(await buildBoth(), file).toBe(true);
    }
  }

  it('patches an ERDDAP datasetID that moves its dataset in datasets.xml, and the others\' after it', async () => {
    // aaa_b01_moved sorts before A01_met and M01_adcp (code-point order): their places in datasets.xml move.
    await patchesEach([
      ['buoys/B01_met.yaml', (t) => t.replace('      type: EDDTableFromNcCFFiles\n', '      type: EDDTableFromNcCFFiles\n      dataset_id: aaa_b01_moved\n')],
      ['buoys/M01_adcp.yaml', (t) => t.replace(/^title: (.*)$/m, 'title: $1 (after the move)')],
      ['buoys/A01_met.yaml', (t) => t.replace('      type: EDDTableFromNcFiles\n', '      type: EDDTableFromNcFiles\n      dataset_id: zzz_a01_renamed\n')],
      ['buoys/B01_met.yaml', (t) => t.replace('      dataset_id: aaa_b01_moved\n', '')],
    ]);
  });

  it('patches two datasets that swap their datasetIDs, and one that takes a datasetID an earlier patch freed', async () => {
    edit('buoys/A01_met.yaml', (t) => t.replace('dataset_id: zzz_a01_renamed', 'dataset_id: M01_adcp'));
    edit('buoys/M01_adcp.yaml', (t) => t.replace('      type: EDDTableFromMultidimNcFiles\n', '      type: EDDTableFromMultidimNcFiles\n      dataset_id: zzz_a01_renamed\n'));
    expect(await buildBoth()).toBe(true);
    // A01 frees M01_adcp, then B01 takes it: the holders recorded by the last patch, not the whole build's.
    await patchesEach([
      ['buoys/A01_met.yaml', (t) => t.replace('dataset_id: M01_adcp', 'dataset_id: a01_again')],
      ['buoys/B01_met.yaml', (t) => t.replace('      type: EDDTableFromNcCFFiles\n', '      type: EDDTableFromNcCFFiles\n      dataset_id: M01_adcp\n')],
    ]);
  });

  it('builds whole, and reports it, when a datasetID is one another dataset holds; out/ is left as it was', async () => {
    const before = snapshot(warm);
    edit('buoys/A01_met.yaml', (t) => t.replace('dataset_id: a01_again', 'dataset_id: m01_ADCP'));
    const incremental = await runBuild({ catalog, out: warm, cacheDir });
    expect(incremental.patched).toBeUndefined();
    // The first file in path order keeps the name, as in any whole build.
    expect(incremental.report.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file} ${d.code}`)).toEqual(['datasets/buoys/B01_met.yaml duplicate-erddap-id']);
    expect(snapshot(warm)).toEqual(before);
    // Back to the catalog of the last build: answered from its record.
    edit('buoys/A01_met.yaml', (t) => t.replace('dataset_id: m01_ADCP', 'dataset_id: a01_again'));
    expect(await buildBoth()).toBe(false);
    for (const file of ['buoys/A01_met.yaml', 'buoys/B01_met.yaml', 'buoys/M01_adcp.yaml']) edit(file, (t) => t.replace(/\n {6}dataset_id: [^\n]*/, ''));
    expect(await buildBoth()).toBe(true);
  });

  it('patches again after a whole build folded the patches in', async () => {
    edit('buoys/B01_met.yaml', (t) => t.replace('title: B01 (hand-edited out/)', 'title: B01 once more'));
    expect(await buildBoth()).toBe(true);
  });

  it('with strict, a warning fails a title edit as it fails a whole build: out/ is left as it was', async () => {
    const before = snapshot(warm);
    edit('buoys/B01_met.yaml', (t) => t.replace(/^title: (.*)$/m, 'title: $1 (strict)'));
    const strict = await runBuild({ catalog, out: warm, cacheDir, strict: true });
    expect(strict.patched).toBeUndefined();
    expect(strict.changes).toBeUndefined();
    expect(strict.report.diagnostics.length).toBeGreaterThan(0);
    expect(snapshot(warm)).toEqual(before);
    expect(await buildBoth()).toBe(true);
  });

  it('builds whole when a dataset file is added, and a file with an error is reported as a whole build would', async () => {
    writeFileSync(join(catalog, 'datasets', 'buoys', 'B01_copy.yaml'), readFileSync(join(catalog, 'datasets', 'buoys', 'B01_met.yaml'), 'utf8'));
    expect(await buildBoth()).toBe(false);
    edit('buoys/B01_copy.yaml', (t) => t.replace('title: B01 once more', 'title: [not, a, string]'));
    const incremental = await runBuild({ catalog, out: warm, cacheDir });
    const wholeBuild = await runBuild({ catalog, out: cold, cacheDir: false });
    expect(incremental.patched).toBeUndefined();
    expect(incremental.report.sorted()).toEqual(wholeBuild.report.sorted());
    expect(incremental.report.hasErrors).toBe(true);
  });
});
