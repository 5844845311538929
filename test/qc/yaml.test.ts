// The YAML that ioos_qc reads: numbers in their exact shortest form, strings that no YAML reader
// takes for anything else, timestamps that load as datetimes. The outside judge is PyYAML (a YAML
// 1.1 reader, the stricter cousin of ioos_qc's ruamel.yaml) when python3 has it.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitEntry, formatNumber, formatString } from '../../generators/common/qc-yaml.js';
import { loadExample } from '../helpers/catalog.js';
import { renderQc } from './helpers.js';

describe('numbers', () => {
  it.each([
    [0.1, '0.1'], [0.3, '0.3'], [-2.5, '-2.5'], [220, '220'], [-0, '0'], [0.0005, '0.0005'],
    [1e-7, '0.0000001'], [-1.5e-8, '-0.000000015'], [1.25e-10, '0.000000000125'], [1e21, '1000000000000000000000'], [2.5e22, '25000000000000000000000'],
    [Infinity, '.inf'], [-Infinity, '-.inf'],
  ])('%s → %s', (n, text) => {
    expect(formatNumber(n)).toBe(text);
    if (Number.isFinite(n)) expect(Number(text) === n).toBe(true);
  });
});

describe('strings', () => {
  it.each([
    ['average', 'average'], ['wgs84', 'wgs84'], ['yes', '"yes"'], ['Off', '"Off"'], ['null', '"null"'], ['a b', '"a b"'], ['', '""'],
    ['3', '"3"'], ['.inf', '".inf"'], ['x: y', '"x: y"'], ['#', '"#"'], ['line\nbreak', '"line\\nbreak"'],
  ])('%j → %s', (s, text) => {
    expect(formatString(s, { timestamps: false })).toBe(text);
    expect(parse(`k: ${text}`, { version: '1.1' }).k).toBe(s);
  });

  it('writes timestamps plain only where a time is meant', () => {
    expect(formatString('2020-01-01T00:00:00', { timestamps: true })).toBe('2020-01-01T00:00:00');
    expect(formatString('2020-01-01T00:00:00', { timestamps: false })).toBe('"2020-01-01T00:00:00"');
  });

  it('nests mappings as blocks and lists (also GeoJSON coordinates) in flow style', () => {
    const lines = emitEntry('region', { type: 'Polygon', coordinates: [[[-70, 42], [-69, 42], [-69, 43], [-70, 42]]] }, '', { timestamps: false });
    expect(lines).toEqual(['region:', '  type: Polygon', '  coordinates: [[[-70, 42], [-69, 42], [-69, 43], [-70, 42]]]']);
    expect(emitEntry('config', [{ tspan: [1, 2], period: 'month' }], '', { timestamps: true })).toEqual(['config:', '  - tspan: [1, 2]', '    period: month']);
  });
});

const PYTHON_JUDGE = `
import datetime, json, sys, yaml
def tag(v):
    if isinstance(v, bool): return {"bool": v}
    if isinstance(v, datetime.datetime): return {"datetime": v.isoformat()}
    if isinstance(v, datetime.date): return {"date": v.isoformat()}
    if isinstance(v, float): return {"float": repr(v)}
    if isinstance(v, int): return {"int": v}
    if isinstance(v, dict): return {k: tag(x) for k, x in v.items()}
    if isinstance(v, list): return [tag(x) for x in v]
    return v
print(json.dumps([tag(yaml.safe_load(doc)) for doc in json.load(sys.stdin)]))
`;
const hasPyYaml = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' }).status === 0;

/** What PyYAML should see for a value yaml (YAML 1.2) read from the same text, given where it sits. */
function pythonView(value: unknown, key = ''): unknown {
  if (typeof value === 'number') return Number.isInteger(value) && !/\.\d/.test(String(value)) ? { int: value } : { float: String(value) };
  if (typeof value === 'string' && (key === 'starting' || key === 'ending')) return { datetime: value };
  if (Array.isArray(value)) return value.map((v) => pythonView(v, key));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pythonView(v, k)]));
  return value;
}

describe.skipIf(!hasPyYaml)('the example catalog\'s out/qc files, read by PyYAML (python3 -c "import yaml")', () => {
  it('mean the same to Python: windows are datetimes, numbers keep their type and value, nothing else changes', () => {
    const { catalog, report } = loadExample();
    const texts = [...renderQc(catalog, report).values()];
    expect(texts.length).toBeGreaterThan(5);
    const result = spawnSync('python3', ['-c', PYTHON_JUDGE], { input: JSON.stringify(texts), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const seen = JSON.parse(result.stdout) as unknown[];
    texts.forEach((text, i) => expect(seen[i]).toEqual(pythonView(parse(text))));
    expect(JSON.stringify(seen)).toContain('"datetime":"2020-01-01T00:00:00"');
  });
});

if (!hasPyYaml) console.warn('test/qc/yaml.test.ts: python3 with PyYAML not found; the PyYAML reading of out/qc is skipped');
