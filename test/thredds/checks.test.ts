// What the build itself checks in THREDDS output, with errors at the dataset's line: the traps
// of research/thredds.md §8 and the rules the InvCatalog schema cannot express.
import { afterAll, describe, expect, it } from 'vitest';
import { renderCatalog } from '../../core/build.js';
import { loadCatalog } from '../../core/load.js';
import { tempDir } from '../helpers/cli.js';
import { writeCatalog } from '../helpers/write-catalog.js';
import { describeWithShared, SHARED } from '../helpers/shared.js';
import { validateWithWasm } from '../helpers/xsd.js';

const scratch = tempDir('steller-thredds-checks-');
afterAll(() => scratch.cleanup());

const PROJECT = `name: testing
servers:
  thredds:
    data:
      url: https://tds.example.org/thredds/
      data_dir: /data
      services: [opendap, http, wms, ncss]
`;

let counter = 0;

/** Builds a catalog of these files; returns the diagnostics as `file:line code` and the THREDDS outputs. */
function build(files: Record<string, string>, project = PROJECT) {
  const dir = writeCatalog(`${scratch.dir}/${counter++}`, { 'steller.yaml': project, ...files });
  const loaded = loadCatalog(dir);
  const tree = loaded.catalog ? renderCatalog(loaded.catalog, loaded.report) : new Map();
  const diagnostics = loaded.report.sorted();
  return {
    codes: diagnostics.map((d) => `${d.file}:${d.line} ${d.code}`),
    messages: diagnostics.map((d) => `${d.code}: ${d.message}${d.hint ? ` (${d.hint})` : ''}`),
    files: new Map([...tree].filter(([path]) => path.startsWith('thredds/') && path.endsWith('.xml')).map(([path, file]) => [path, file.content as string])),
  };
}

const dataset = (thredds: string, extra = '') => `title: A dataset\n${extra}services:\n  thredds:\n${thredds}`;

describe('THREDDS build checks', () => {
  it('an unknown service name is an error at its line, with a suggestion', () => {
    const result = build({ 'datasets/buoys/a.yaml': dataset('    - server: data\n      services: [opendap, htttp]\n') });
    expect(result.codes).toEqual(['datasets/buoys/a.yaml:5 thredds-unknown-service']);
    expect(result.messages[0]).toContain("did you mean 'http'?");
  });

  it('a per-dataset service list becomes a compound of its members', () => {
    const result = build({ 'datasets/buoys/a.yaml': dataset('    - server: data\n      services: [opendap, http]\n') });
    expect(result.codes).toEqual([]);
    const group = result.files.get('thredds/data/buoys/catalog.xml') as string;
    expect(group).toContain('<service name="opendap+http" serviceType="Compound" base="">');
    expect(group).toContain('<serviceName>opendap+http</serviceName>');
  });

  it('a template with id= (lower case) is an error: THREDDS ignores it', () => {
    const result = build({
      'datasets/t.xml.jinja': '<dataset name="{{ dataset.title }}" id="{{ service.dataset_id }}" urlPath="{{ service.path }}"><serviceName>all</serviceName></dataset>',
      'datasets/buoys/a.yaml': dataset('    - server: data\n      template_file: ../t.xml.jinja\n'),
    });
    expect(result.codes).toEqual(['datasets/buoys/a.yaml:5 thredds-lowercase-id']);
  });

  it('a template naming an undefined service is an error', () => {
    const result = build({
      'datasets/t.xml.jinja': '<dataset name="{{ dataset.title }}" ID="x" urlPath="{{ service.path }}"><serviceName>odap</serviceName></dataset>',
      'datasets/buoys/a.yaml': dataset('    - server: data\n      template_file: ../t.xml.jinja\n'),
    });
    expect(result.codes).toEqual(['datasets/buoys/a.yaml:5 thredds-unknown-service']);
  });

  it('a template that is not one well-formed dataset element is an error, never a crash', () => {
    for (const [text, code] of [
      ['<dataset name="a"><serviceName>all</dataset>', 'thredds-template-xml'],
      ['<dataset name="a"/><dataset name="b"/>', 'thredds-template-xml'],
      ['<service name="s" serviceType="OPeNDAP" base="/x/"/>', 'thredds-template-root'],
      ['<dataset name="{{ nope( }}"/>', 'thredds-template-error'],
      ['<dataset name="a" urlPath="b/c"><service name="s" serviceType="OPeNDAP" base="/x/"/></dataset>', 'thredds-misplaced-element'],
    ]) {
      const result = build({ 'datasets/t.xml.jinja': text, 'datasets/buoys/a.yaml': dataset('    - server: data\n      template_file: ../t.xml.jinja\n') });
      expect(result.codes, text).toEqual([`datasets/buoys/a.yaml:5 ${code}`]);
    }
  });

  it('featureType is case-sensitive', () => {
    const result = build({ 'datasets/models/m.yaml': dataset('    - server: data\n      options:\n        featureCollection: { featureType: fmrc, collection: { spec: "m/*.nc$" } }\n') });
    expect(result.codes).toEqual(['datasets/models/m.yaml:6 thredds-bad-feature-type']);
    expect(result.messages[0]).toContain('must be written "FMRC"');
  });

  it('FileServer and a lower-case compound in custom services are errors at their steller.yaml line', () => {
    const project = `${PROJECT}      custom_services:\n        files: { type: FileServer, base: /thredds/fileServer/ }\n        both: { type: compound, services: [opendap, files] }\n`;
    const result = build({ 'datasets/buoys/a.yaml': dataset('    - server: data\n') }, project);
    expect(result.codes).toEqual(['steller.yaml:9 thredds-file-server', 'steller.yaml:10 thredds-service-type-case']);
  });

  it('IDs and urlPaths are unique per server', () => {
    const result = build({
      'datasets/t.xml.jinja': '<dataset name="{{ dataset.title }}" ID="same" urlPath="buoys/{{ dataset.id }}"/>',
      'datasets/buoys/a.yaml': dataset('    - server: data\n      template_file: ../t.xml.jinja\n'),
      'datasets/buoys/b.yaml': dataset('    - server: data\n      template_file: ../t.xml.jinja\n'),
      'datasets/buoys/c.yaml': dataset('    - server: data\n      path: buoys/b\n'),
    });
    expect(result.codes).toEqual(['datasets/buoys/b.yaml:5 thredds-duplicate-id', 'datasets/buoys/c.yaml:4 thredds-duplicate-url-path']);
  });

  it('a local catalogRef must point at a catalog the build writes', () => {
    const ref = (href: string) => dataset(`    - server: data\n      path: links/x\n      options: { catalogRef: { href: "${href}" } }\n`);
    expect(build({ 'datasets/links/x.yaml': ref('../nowhere/catalog.xml') }).codes).toEqual(['datasets/links/x.yaml:4 thredds-dangling-catalog-ref']);
    expect(build({ 'datasets/links/x.yaml': ref('../catalog.xml') }).codes).toEqual([]);
    expect(build({ 'datasets/links/x.yaml': ref('http://other.example.org/thredds/catalog.xml') }).codes).toEqual([]);
  });

  it('a datasetScan without a location and no data_dir is an error', () => {
    const project = PROJECT.replace('      data_dir: /data\n', '');
    const result = build({ 'datasets/sat/s.yaml': dataset('    - server: data\n      options: { datasetScan: { filter: { include: ".*nc" } } }\n') }, project);
    expect(result.codes).toEqual(['datasets/sat/s.yaml:5 thredds-scan-location']);
  });

  it('a plain dataset no datasetRoot covers is a warning naming data_dir', () => {
    const project = PROJECT.replace('      data_dir: /data\n', '');
    const result = build({ 'datasets/buoys/a.yaml': dataset('    - server: data\n') }, project);
    expect(result.codes).toEqual(['datasets/buoys/a.yaml:4 thredds-no-data-root']);
  });

  it('unknown datasetScan and THREDDS options are errors with suggestions', () => {
    const result = build({ 'datasets/sat/s.yaml': dataset('    - server: data\n      options:\n        datasetScan: { filtr: {} }\n        harvst: true\n') });
    expect(result.codes).toEqual(['datasets/sat/s.yaml:6 thredds-unknown-option', 'datasets/sat/s.yaml:7 thredds-unknown-option']);
    expect(result.messages.join('\n')).toContain("did you mean 'filter'?");
    expect(result.messages.join('\n')).toContain("did you mean 'harvest'?");
  });
});

describeWithShared('hostile text', () => {
  const hostile = 'Cape & Islands <buoy> ]]> {{ 7*7 }}';
  it('comes out literally from built-in and template datasets, and the catalogs stay valid', async () => {
    const result = build({
      'datasets/t.xml.jinja': '<dataset name="{{ dataset.title }}" urlPath="{{ service.path }}"><documentation type="summary">{{ dataset.summary }}</documentation></dataset>',
      'datasets/buoys/a.yaml': `title: "${hostile}"\nsummary: "${hostile}"\nkeywords: ["${hostile}"]\nservices:\n  thredds:\n    - server: data\n`,
      'datasets/buoys/b.yaml': `title: "${hostile}"\nsummary: "${hostile}"\nservices:\n  thredds:\n    - server: data\n      template_file: ../t.xml.jinja\n`,
    });
    expect(result.codes).toEqual([]);
    const group = result.files.get('thredds/data/buoys/catalog.xml') as string;
    const escaped = 'Cape &amp; Islands &lt;buoy&gt; ]]&gt; {{ 7*7 }}';
    expect(group.split(`name="${escaped}"`).length).toBe(3);
    expect(group).toContain(`<documentation type="summary">${escaped}</documentation>`);
    expect(group).toContain(`<keyword>${escaped}</keyword>`);
    expect(group).not.toContain('49');
    const documents = [...result.files].map(([name, contents]) => ({ name, contents }));
    expect((await validateWithWasm(`${SHARED}/refs/thredds/InvCatalog.1.3.xsd`, documents)).errors).toEqual([]);
  });
});
