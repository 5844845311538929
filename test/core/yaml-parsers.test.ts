// The fast reader (js-yaml, core schema) and the careful one (`yaml`, YAML 1.2 core) must give
// the same value for every file the fast path accepts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import jsyaml from 'js-yaml';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CATALOG } from '../helpers/cli.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const fast = (text: string) => jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA });

describe('fast and careful YAML readers agree', () => {
  it('on every file of the example catalog', () => {
    for (const file of yamlFiles(EXAMPLE_CATALOG)) {
      const text = readFileSync(file, 'utf8');
      expect(fast(text), file).toEqual(parse(text));
    }
  });

  it('on scalars people write: versions, booleans, nulls, numbers, dates, octal-looking ids', () => {
    const text = [
      'a: 1.10', 'b: yes', 'c: no', 'd: on', 'e: ~', 'f: null', 'g: 0x1F', 'h: 0o17', 'i: 2020-01-01',
      'j: 2020-01-01T00:00:00Z', 'k: .inf', 'l: -.inf', 'm: 1e3', 'n: "007"', 'o: 007', 'p: +12', 'q: True', 'r: FALSE', 's: 12:30',
    ].join('\n');
    const careful = parse(text) as Record<string, unknown>;
    const quick = fast(text) as Record<string, unknown>;
    for (const key of Object.keys(careful)) expect(quick[key], key).toEqual(careful[key]);
  });

  it('on generated records', () => {
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true }).map((x) => (Object.is(x, -0) ? 0 : x)), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string({ minLength: 1 }), tie('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(fc.property(fc.dictionary(fc.string({ minLength: 1 }), value, { minKeys: 1 }), (record) => {
      const text = stringify(record);
      expect(fast(text)).toEqual(parse(text));
    }), { numRuns: 300 });
    // (-0 is left out: js-yaml reads it as 0, a difference no catalog value can notice.)
  });
});
