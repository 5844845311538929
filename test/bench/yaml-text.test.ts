// The hand-written YAML emitter behind the synthetic catalogs: whatever it writes, a YAML parser
// reads back as the same value, and nothing is left to YAML 1.1's looser typing.
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { flow, yamlDocument, type Mapping } from '../../bench/synth/yaml-text.js';

const scalar = fc.oneof(
  fc.string(),
  fc.constantFrom('yes', 'No', 'on', 'null', 'true', 'y', '1e-3', '0x1F', '12:30', '2020-01-01', 'a: b', 'x #y', '- item', '@at', '*alias', '&anchor', "it's", 'back\\slash', 'tab\there'),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.boolean(),
  fc.constant(null),
);

describe('yamlDocument', () => {
  it('round-trips any string, number, boolean and null, in block and flow style', () => {
    fc.assert(fc.property(fc.dictionary(fc.string({ minLength: 1 }), scalar), fc.array(scalar), (map, list) => {
      const doc: Mapping = { block: map, flow: flow({ ...map, list }), list, items: [flow(map), { nested: map }] };
      expect(parse(yamlDocument(doc))).toEqual(JSON.parse(JSON.stringify({ block: map, flow: { ...map, list }, list, items: [map, { nested: map }] })));
    }), { numRuns: 300 });
  });

  it('leaves plain what people write plainly, and quotes what YAML 1.1 would retype', () => {
    const text = yamlDocument({ url: 'https://example.org/a', units: 'm s-1', answer: 'no', ratio: '1e-3', list: ['opendap', 'http'] });
    expect(text).toBe('url: https://example.org/a\nunits: m s-1\nanswer: "no"\nratio: "1e-3"\nlist: [opendap, http]\n');
  });

  it('skips undefined keys and refuses numbers YAML 1.1 would read as strings', () => {
    expect(yamlDocument({ a: 1, b: undefined, c: flow({ d: undefined, e: 0.5 }) })).toBe('a: 1\nc: { e: 0.5 }\n');
    expect(() => yamlDocument({ tiny: 1e-7 })).toThrow(/plain YAML number/);
    expect(() => yamlDocument({ huge: Number.POSITIVE_INFINITY })).toThrow(/plain YAML number/);
  });
});
