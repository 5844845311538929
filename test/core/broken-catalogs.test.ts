// Broken and hostile catalogs through the real CLI: each must exit 1 with a JSON error that
// names the right file, line and code, quickly, and without a stack trace.
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { MINIMAL_DATASET, MINIMAL_PROJECT, writeCatalog } from '../helpers/write-catalog.js';

const scratch = tempDir('steller-broken-');
afterAll(() => scratch.cleanup());

interface Case {
  name: string;
  files: Record<string, string | Uint8Array>;
  file: string;
  /** The text on the line the error must point at (the first line containing it). */
  at?: string;
  line?: number;
  code: string;
  hint?: RegExp;
}

const DS = 'datasets/buoys/buoy_a.yaml';
const withDataset = (text: string | Uint8Array, extra: Record<string, string | Uint8Array> = {}) => ({ 'steller.yaml': MINIMAL_PROJECT, [DS]: text, ...extra });
const withProject = (text: string) => ({ 'steller.yaml': text, [DS]: MINIMAL_DATASET });
const replace = (from: string, to: string, base = MINIMAL_DATASET) => {
  if (!base.includes(from)) throw new Error(`test setup: "${from}" not in base`);
  return base.replace(from, to);
};

const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`);

const CASES: Case[] = [
  { name: 'misspelt top-level key', files: withDataset(replace('summary:', 'sumary:')), file: DS, at: 'sumary:', code: 'unknown-key', hint: /summary/ },
  { name: 'misspelt nested key', files: withDataset(replace('fileDir: buoy_a', 'fileDir: buoy_a } , typ: x, options2: { a: 1')), file: DS, at: 'typ: x', code: 'unknown-key', hint: /type/ },
  { name: 'wrong type: keywords as a string', files: withDataset(`${MINIMAL_DATASET}keywords: currents\n`), file: DS, at: 'keywords:', code: 'wrong-type' },
  { name: 'wrong type: number for title', files: withDataset(replace('title: Buoy A - Temperature', 'title: 42')), file: DS, at: 'title:', code: 'wrong-type' },
  { name: 'missing title', files: withDataset(replace('title: Buoy A - Temperature\n', '')), file: DS, line: 1, code: 'missing-key' },
  { name: 'broken YAML indentation', files: withDataset(replace('summary: Water temperature at buoy A.', 'summary: Water\n  - temperature: [\n')), file: DS, at: 'summary: Water', code: 'yaml-syntax' },
  { name: 'unclosed flow mapping', files: withDataset(replace('attributes: { cdm_data_type: TimeSeries, cdm_timeseries_variables: station }', 'attributes: { cdm_data_type: TimeSeries')), file: DS, at: 'attributes:', code: 'yaml-syntax' },
  { name: 'duplicate key', files: withDataset(`${MINIMAL_DATASET}title: again\n`), file: DS, at: 'title: again', code: 'duplicate-key' },
  { name: 'duplicate dataset ids', files: withDataset(MINIMAL_DATASET, { 'datasets/other/x.yaml': `id: buoy_a\n${MINIMAL_DATASET.replace('buoy_a', 'buoy_x')}` }), file: 'datasets/other/x.yaml', at: 'id: buoy_a', code: 'duplicate-id' },
  { name: 'dataset ids equal ignoring case', files: withDataset(MINIMAL_DATASET, { 'datasets/other/BUOY_A.yaml': MINIMAL_DATASET.replace('buoy_a', 'buoy_x') }), file: 'datasets/other/BUOY_A.yaml', line: 1, code: 'duplicate-id' },
  { name: 'cron minute out of range', files: withDataset(replace('schedule: "H * * * *"', 'schedule: "61 * * * *"')), file: DS, at: 'schedule:', code: 'bad-cron' },
  { name: 'cron with six fields', files: withDataset(replace('schedule: "H * * * *"', 'schedule: "0 */5 * * * *"')), file: DS, at: 'schedule:', code: 'bad-cron' },
  { name: 'cron gibberish', files: withDataset(replace('schedule: "H * * * *"', 'schedule: every hour')), file: DS, at: 'schedule:', code: 'bad-cron' },
  { name: 'inline api key', files: withDataset(`${MINIMAL_DATASET}source:\n  url: https://api.example.org/\n  parameters: { station: a, api_key: 9f8e7d6c5b4a }\n`), file: DS, at: 'api_key', code: 'inline-secret', hint: /secrets/ },
  { name: 'inline password in steller.yaml', files: withProject(MINIMAL_PROJECT.replace('file_dir: /data }', 'file_dir: /data, settings: { user: { username: admin, password: hunter2hunter2 } } }')), file: 'steller.yaml', at: 'password', code: 'inline-secret' },
  { name: 'GitHub token pasted into an attribute', files: withDataset(replace('cdm_timeseries_variables: station }', 'cdm_timeseries_variables: station, comment: "ghp_abcdefghijklmnopqrstuvwxyz0123456789" }')), file: DS, at: 'ghp_', code: 'inline-secret' },
  { name: 'token pasted into a secret reference', files: withDataset(`${MINIMAL_DATASET}secrets:\n  - { env: API_KEY, key: "AKIAABCDEFGHIJKLMNOP" }\n`), file: DS, at: 'AKIA', code: 'inline-secret' },
  { name: 'URL with a password', files: withDataset(`${MINIMAL_DATASET}source: { url: "ftp://harvest:s3cret@ftp.example.org/data/" }\n`), file: DS, at: 'ftp://', code: 'inline-secret' },
  { name: 'template path escapes the catalog', files: withDataset(replace("type: EDDTableFromNcFiles,", "type: EDDTableFromNcFiles, template_file: ../../../../etc/passwd,")), file: DS, at: 'template_file', code: 'path-escape' },
  { name: 'absolute template path', files: withDataset(replace("type: EDDTableFromNcFiles,", "type: EDDTableFromNcFiles, template_file: /etc/passwd,")), file: DS, at: 'template_file', code: 'path-escape' },
  { name: 'missing template file', files: withDataset(replace("type: EDDTableFromNcFiles,", "type: EDDTableFromNcFiles, template_file: ../nope.xml.jinja,")), file: DS, at: 'template_file', code: 'missing-template' },
  { name: 'id that escapes a folder', files: withDataset(`id: ../../etc/evil\n${MINIMAL_DATASET}`), file: DS, at: 'id:', code: 'invalid-value' },
  { name: 'id with a slash', files: withDataset(`id: a/b\n${MINIMAL_DATASET}`), file: DS, at: 'id:', code: 'invalid-value' },
  { name: 'alias bomb', files: withDataset(`${MINIMAL_DATASET}source:\n  parameters:\n${bomb.map((l) => `    ${l}`).join('\n')}\n`), file: DS, at: '*a', code: 'alias-bomb' },
  { name: 'unknown server', files: withDataset(replace('server: data,', 'server: dta,')), file: DS, at: 'server: dta', code: 'unknown-server', hint: /data/ },
  { name: 'server of the wrong kind', files: withDataset(replace('server: data,', 'server: catalog,')), file: DS, at: 'server: catalog', code: 'wrong-server-kind' },
  { name: 'ERDDAP datasetID starting with a digit', files: withDataset(replace('server: data,', 'server: data, dataset_id: 1-bad-id,')), file: DS, at: 'dataset_id', code: 'bad-erddap-id' },
  { name: 'invalid ERDDAP datasetID', files: withDataset(replace('server: data,', 'server: data, dataset_id: bad.id,')), file: DS, at: 'dataset_id', code: 'bad-erddap-id' },
  { name: 'duplicate ERDDAP datasetID on one server', files: withDataset(replace('server: data,', 'server: data, dataset_id: shared_id,'), { 'datasets/b.yaml': replace('server: data,', 'server: data, dataset_id: Shared_ID,') }), file: 'datasets/buoys/buoy_a.yaml', at: 'dataset_id', code: 'duplicate-erddap-id' },
  { name: 'not an IANA time zone', files: withDataset(`${MINIMAL_DATASET}time_zone: Mars/Olympus_Mons\n`), file: DS, at: 'time_zone', code: 'bad-time-zone' },
  { name: 'cluster time zone not IANA', files: withProject(MINIMAL_PROJECT.replace('namespace: harvest', 'namespace: harvest\n  time_zone: EST5EDT/Nowhere')), file: 'steller.yaml', at: 'time_zone', code: 'bad-time-zone' },
  { name: 'namespace not a DNS label', files: withProject(MINIMAL_PROJECT.replace('namespace: harvest', 'namespace: Harvest_Jobs')), file: 'steller.yaml', at: 'namespace:', code: 'invalid-value' },
  { name: 'unknown key in steller.yaml', files: withProject(MINIMAL_PROJECT.replace('defaults:', 'defualts:')), file: 'steller.yaml', at: 'defualts:', code: 'unknown-key', hint: /defaults/ },
  { name: 'invalid variable type', files: withDataset(replace('type: float, units: degree_Celsius', 'type: float64, units: degree_Celsius')), file: DS, at: 'float64', code: 'invalid-value', hint: /float/ },
  { name: 'negative retry count', files: withDataset(`${MINIMAL_DATASET}retry: { max_retries: -1 }\n`), file: DS, at: 'retry:', code: 'out-of-range' },
  { name: 'not UTF-8', files: withDataset(new Uint8Array([...Buffer.from('title: Buoy\nsummary: caf'), 0xe9, 0x0a])), file: DS, line: 2, code: 'not-utf8' },
  { name: 'file too large', files: withDataset(`${MINIMAL_DATASET}summary2: "${'x'.repeat(1_100_000)}"\n`), file: DS, line: 1, code: 'file-too-large' },
  { name: 'two YAML documents in one file', files: withDataset(`${MINIMAL_DATASET}---\ntitle: second\n`), file: DS, at: 'title: second', code: 'multiple-documents' },
  { name: 'a list instead of a mapping', files: withDataset('- title: a\n- title: b\n'), file: DS, line: 1, code: 'wrong-type' },
  { name: 'empty dataset file', files: withDataset(''), file: DS, line: 1, code: 'empty-file' },
  { name: 'unsafe YAML tag', files: withDataset(`${MINIMAL_DATASET}source: !!python/object/apply:os.system ["rm -rf /"]\n`), file: DS, at: 'source:', code: 'yaml-tag' },
  { name: 'no steller.yaml', files: { [DS]: MINIMAL_DATASET }, file: 'steller.yaml', line: 1, code: 'missing-project' },
  { name: 'schedule without a kubernetes section', files: withProject(MINIMAL_PROJECT.replace(/kubernetes:\n.*\n.*\n/, '')), file: DS, at: 'schedule:', code: 'no-job-image' },
  { name: 'THREDDS path that is absolute', files: withDataset(`${MINIMAL_DATASET}  thredds:\n    - { server: data, path: /etc/passwd }\n`), file: DS, at: 'path: /etc', code: 'bad-url-path' },
  { name: 'duplicate variable', files: withDataset(replace('  - { name: temp,', '  - { name: Temp, type: float }\n  - { name: temp,')), file: DS, at: '{ name: temp,', code: 'duplicate-variable' },
];

function lineOf(text: string | Uint8Array, needle: string): number {
  const source = typeof text === 'string' ? text : new TextDecoder('latin1').decode(text);
  const index = source.indexOf(needle);
  if (index < 0) throw new Error(`test setup: "${needle}" not found`);
  return source.slice(0, index).split('\n').length;
}

describe('broken and hostile catalogs', () => {
  CASES.forEach((testCase, n) => {
    it(`${testCase.name}: exit 1, ${testCase.code} at ${testCase.file}`, () => {
      const dir = writeCatalog(`${scratch.dir}/case-${n}`, testCase.files);
      const started = Date.now();
      const result = runCli(['validate', '--catalog', dir, '--format', 'json']);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(result.status, result.stderr).toBe(1);
      const report = JSON.parse(result.stdout) as { ok: boolean; errors: { file: string; line: number; col: number; code: string; message: string; hint?: string }[] };
      expect(report.ok).toBe(false);
      const expectedLine = testCase.line ?? lineOf(testCase.files[testCase.file] ?? '', testCase.at ?? '');
      const match = report.errors.find((e) => e.code === testCase.code && e.file === testCase.file);
      expect(match, `no ${testCase.code} in ${testCase.file}; got ${JSON.stringify(report.errors, null, 1)}`).toBeDefined();
      expect(Math.abs((match?.line ?? 0) - expectedLine), `line ${match?.line}, expected ${expectedLine}: ${match?.message}`).toBeLessThanOrEqual(1);
      expect(match?.col).toBeGreaterThanOrEqual(1);
      expect(match?.message.length).toBeGreaterThan(10);
      if (testCase.hint) expect(match?.hint ?? '').toMatch(testCase.hint);
    });
  });

  it('reports every problem at once, not only the first', () => {
    const text = replace('summary:', 'sumary:', replace('schedule: "H * * * *"', 'schedule: "99 * * * *"', replace('server: data,', 'server: nowhere,')));
    const dir = writeCatalog(`${scratch.dir}/many`, withDataset(text, { 'datasets/c.yaml': 'title: [unclosed\n' }));
    const result = runCli(['validate', '--catalog', dir, '--format', 'json']);
    const codes = (JSON.parse(result.stdout).errors as { code: string }[]).map((e) => e.code).sort();
    expect(codes).toEqual(expect.arrayContaining(['bad-cron', 'unknown-key', 'unknown-server', 'yaml-syntax']));
    expect(result.status).toBe(1);
  });
});
