// The example catalog's THREDDS output, judged by the official InvCatalog schemas (1.3, the
// target, and 1.0.7, which TDS 4 catalogs follow) with two validators, and by the TDS rules the
// schema cannot express.
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { OutputFile } from '../../generators/types.js';
import { renderExample } from '../helpers/catalog.js';
import { describeWithShared, SHARED } from '../helpers/shared.js';
import { HAS_NATIVE_XMLLINT, validateWithNative, validateWithWasm, type XmlDocument } from '../helpers/xsd.js';

const SCHEMAS = ['InvCatalog.1.3.xsd', 'InvCatalog.1.0.7.xsd'].map((f) => join(SHARED, 'refs/thredds', f));

let files: OutputFile[] = [];
let documents: XmlDocument[] = [];
const diagnostics: string[] = [];

beforeAll(() => {
  const { tree, report } = renderExample();
  // Other generators may add deployment files (a kustomization) beside the catalogs.
  files = [...tree.values()].filter((f) => f.path.startsWith('thredds/') && f.path.endsWith('.xml'));
  documents = files.map((f) => ({ name: f.path, contents: f.content }));
  diagnostics.push(...report.sorted().filter((d) => d.code.startsWith('thredds')).map((d) => `${d.file}:${d.line} ${d.code}`));
});

const byPath = (path: string) => files.find((f) => f.path === path)?.content ?? '';

describeWithShared('THREDDS catalogs of the example catalog', () => {
  it('are a root catalog and one catalog per group, with no THREDDS diagnostics', () => {
    expect(files.map((f) => f.path)).toEqual([
      'thredds/data/buoys/catalog.xml', 'thredds/data/catalog.xml', 'thredds/data/models/catalog.xml',
      'thredds/data/ports/catalog.xml', 'thredds/data/satellite/catalog.xml',
    ]);
    expect(diagnostics).toEqual([]);
  });

  for (const schema of SCHEMAS) {
    it(`validate against ${schema.split('/').pop()} (xmllint-wasm)`, async () => {
      const result = await validateWithWasm(schema, documents);
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
    });

    it.runIf(HAS_NATIVE_XMLLINT)(`validate against ${schema.split('/').pop()} (native xmllint)`, () => {
      const result = validateWithNative(schema, documents);
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
    });
  }

  it.skipIf(HAS_NATIVE_XMLLINT)('native xmllint is absent (install libxml2-utils): only xmllint-wasm judged the schemas', () => {});

  it('link every group from the root with a relative catalogRef that has a name', () => {
    const root = byPath('thredds/data/catalog.xml');
    for (const group of ['buoys', 'models', 'ports', 'satellite']) {
      expect(root).toContain(`<catalogRef xlink:href="${group}/catalog.xml" xlink:title="${group}" name="${group}"/>`);
      expect(byPath(`thredds/data/${group}/catalog.xml`)).not.toBe('');
    }
  });

  it('use the TDS service types and bases: HTTPServer, Compound, the server\'s /thredds context', () => {
    const root = byPath('thredds/data/catalog.xml');
    expect(root).toContain('<service name="all" serviceType="Compound" base="">');
    expect(root).toContain('serviceType="HTTPServer" base="/thredds/fileServer/"');
    expect(root).toContain('serviceType="OPeNDAP" base="/thredds/dodsC/"');
    expect(root).toContain('<service name="ncss" serviceType="NetcdfSubset" base="/thredds/ncss/grid/"/>');
    for (const file of files) {
      expect(file.content).not.toMatch(/FileServer"|serviceType="compound"| id="/);
    }
  });

  it('give point data the point services (no WMS, NCSS point) and grids `all`', () => {
    const buoys = byPath('thredds/data/buoys/catalog.xml');
    expect(buoys).toContain('<serviceName>allPoint</serviceName>');
    expect(buoys).toContain('base="/thredds/ncss/point/"');
    expect(buoys).not.toContain('WMS');
    expect(byPath('thredds/data/satellite/catalog.xml')).toContain('<serviceName>all</serviceName>');
  });

  it('carry ID, urlPath, name, dataType, dataFormat and inherited metadata', () => {
    const buoys = byPath('thredds/data/buoys/catalog.xml');
    expect(buoys).toContain('<dataset name="NERACOOS Buoy M01 - Jordan Basin - Current Profiles (ADCP)" ID="M01_adcp" urlPath="buoys/M01_adcp.nc">');
    expect(buoys).toContain('<metadata inherited="true">');
    for (const part of ['<dataType>Station</dataType>', '<dataFormat>NetCDF</dataFormat>', '<documentation type="summary">Hourly profiles',
      '<keyword>Jordan Basin</keyword>', '<name>University of Maine Physical Oceanography Group</name>', '<start>44.1019</start>',
      '<start>2003-09-01T00:00:00Z</start>', '<end>present</end>']) {
      expect(buoys).toContain(part);
    }
  });

  it('write a datasetScan and a featureCollection where the options ask for them', () => {
    const satellite = byPath('thredds/data/satellite/catalog.xml');
    expect(satellite).toMatch(/<datasetScan name="AVHRR[^"]*" ID="avhrr_sst_gom" path="satellite\/avhrr_sst_gom" location="\/mnt\/efs\/datasets\/satellite\/avhrr_sst_gom">/);
    expect(satellite).toContain('<include regExp=".*\\.nc$"/>');
    expect(satellite).toContain('<lexigraphicByName increasing="false"/>');
    const models = byPath('thredds/data/models/catalog.xml');
    expect(models).toContain('featureType="FMRC"');
    expect(models).toContain('name="necofs_gom_forecast_surface"');
  });

  it('render the seed\'s template dataset, checked and re-serialized into the ports catalog', () => {
    const ports = byPath('thredds/data/ports/catalog.xml');
    expect(ports).toContain('<dataset name="NOS CO-OPS Currents Data, Cape Cod Canal, West End, 6-Minute" ID="PORTS_CC_realtime" urlPath="ports/PORTS_CC_realtime">');
    expect(ports).toContain('<serviceName>all</serviceName>');
  });

  it('declare datasetRoots for the folders of plain datasets under data_dir', () => {
    const root = byPath('thredds/data/catalog.xml');
    expect(root).toContain('<datasetRoot path="buoys" location="/mnt/efs/datasets/buoys"/>');
    expect(root).toContain('<datasetRoot path="ports" location="/mnt/efs/datasets/ports"/>');
    expect(root).not.toContain('path="satellite"');
  });
});

describeWithShared('the XSD judges themselves', () => {
  // A judge that passes everything proves nothing: the traps of research/thredds.md §8 must fail.
  const broken = (body: string) => [{ name: 'broken.xml', contents: `<?xml version="1.0"?>\n<catalog xmlns="http://www.unidata.ucar.edu/namespaces/thredds/InvCatalog/v1.0" xmlns:xlink="http://www.w3.org/1999/xlink">${body}</catalog>` }];
  const cases = {
    'a catalogRef without name': '<catalogRef xlink:href="a/catalog.xml" xlink:title="a"/>',
    'an upper-case boolean': '<dataset name="a" harvest="True"/>',
    'a dataset before a service': '<dataset name="a"/><service name="s" serviceType="OPeNDAP" base="/thredds/dodsC/"/>',
  };
  for (const [what, body] of Object.entries(cases)) {
    it(`reject ${what}`, async () => {
      expect((await validateWithWasm(SCHEMAS[0], broken(body))).valid).toBe(false);
      if (HAS_NATIVE_XMLLINT) expect(validateWithNative(SCHEMAS[0], broken(body)).valid).toBe(false);
    });
  }

  // The schema's key/keyref/unique constraints use unprefixed XPaths (".//dataset"), which in XSD 1.0
  // select no-namespace elements only: they never fire on a real catalog. So the build checks service
  // names and IDs itself (see checks.test.ts); this documents why.
  const unchecked = {
    'an undefined serviceName': '<dataset name="d" ID="d" urlPath="a/b"><serviceName>nope</serviceName></dataset>',
    'a duplicate ID': '<dataset name="a" ID="x"/><dataset name="b" ID="x"/>',
  };
  for (const [what, body] of Object.entries(unchecked)) {
    it(`let ${what} pass (its identity constraints select nothing)`, async () => {
      expect((await validateWithWasm(SCHEMAS[0], broken(body))).valid).toBe(true);
    });
  }
});
