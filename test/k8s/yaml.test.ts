// The manifest YAML writer: whatever it is given, YAML 1.2 and YAML 1.1 readers (go-yaml in
// kustomize and Argo CD reads 1.1: `yes`, `on`, `0777`, `1:30` are not strings there) read back
// exactly the same data.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { toYaml, toYamlDocuments, yamlEntry } from '../../charts/yaml.js';

const AWKWARD = ['yes', 'No', 'on', 'OFF', 'y', 'null', '~', 'true', '0777', '0x1F', '1:30', '1e3', '.inf', '-', '- a', 'a: b', 'a #b', '#x',
  '*alias', '&anchor', '!tag', '@at', '`tick', '"q"', "'q'", '{a}', '[a]', '%x', '?', '|', '>', '', ' lead', 'trail ', 'tab\there',
  'line\nbreak', 'two\n\nblank', 'end\n', 'ends\n\n', '\nstart', '  indented\nblock', 'a\r\nb', 'nul\u0000', 'del\u007f', 'nel\u0085x',
  'ls\u2028x', 'bom\ufeff', 'emoji 🌊', 'http://x.org/a?b=c&d', '---', '...', 'a: |', 'key:', 'H/6 * * * *', '100m', '1Gi', '2024-06-01'];

const text = fc.oneof(fc.constantFrom(...AWKWARD), fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ maxLength: 30 }));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(text, tie('value'), { maxKeys: 4 })),
})).value;

/** -0 reads back as 0 in YAML, as in JSON. */
const normalized = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('toYaml', () => {
  it('reads back as the same data under YAML 1.2 and 1.1', () => {
    fc.assert(fc.property(fc.dictionary(text, json, { maxKeys: 6 }), (value) => {
      const written = toYaml(value);
      expect(parse(written)).toEqual(normalized(value));
      expect(parse(written, { version: '1.1' })).toEqual(normalized(value));
    }), { numRuns: 400 });
  });

  it('keeps every awkward string a string', () => {
    const value = Object.fromEntries(AWKWARD.map((s, i) => [s || `empty${i}`, s]));
    expect(parse(toYaml(value), { version: '1.1' })).toEqual(value);
    expect(parse(toYaml({ list: AWKWARD }), { version: '1.1' })).toEqual({ list: AWKWARD });
  });

  it('writes multi-line text as a literal block, as a person would', () => {
    expect(toYaml({ data: { 'qc.yaml': 'contexts:\n  - streams: {}\n' } })).toBe('data:\n  qc.yaml: |\n    contexts:\n      - streams: {}\n');
  });

  it('separates documents so a stream reader sees each', () => {
    const docs = parseAllDocuments(toYamlDocuments([{ a: 1 }, { b: 'x\n' }, { c: [] }])) as unknown as { toJS(): unknown }[];
    expect(docs.map((d) => d.toJS())).toEqual([{ a: 1 }, { b: 'x\n' }, { c: [] }]);
  });
});

describe('yamlEntry', () => {
  it('writes a key and a scalar exactly as toYaml writes them inside a map', () => {
    fc.assert(fc.property(text, fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null)), (key, value) => {
      const nested = toYaml({ data: { [key]: value } });
      expect(`data:\n${yamlEntry(key, value, 2)}`).toBe(nested);
    }));
  });
});

