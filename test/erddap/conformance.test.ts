// steller's tables of ERDDAP's rules against the ones extracted mechanically from ERDDAP's
// source (fixtures/erddap-rules.json, by tools/extract-erddap-rules.ts): the same classes, the
// same child tags per class, the same top-level tags and vocabularies.
import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_TYPES, CDM_DATA_TYPES, DATA_TYPES, ERDDAP_CLASSES, IOOS_CATEGORIES, TOP_LEVEL_TAGS } from '../../generators/erddap/rules.js';
import { ERDDAP_RULES } from './judge.js';

const sorted = (values: Iterable<string>) => [...values].sort();

/** The tags of a class as its fromXml switch lists them (structural ones included). */
function stellerTags(name: string): string[] {
  const cls = ERDDAP_CLASSES[name];
  const tags = new Set(cls.tags);
  if (cls.globalAttributes) tags.add('addAttributes');
  if (cls.dataVariables !== 'none') tags.add('dataVariable');
  if (cls.axisVariables !== 'none') tags.add('axisVariable');
  if (cls.children) tags.add('dataset');
  return sorted(tags);
}

describe('ERDDAP rules, steller\'s tables vs ERDDAP\'s source', () => {
  it('know the same dataset classes', () => {
    expect(sorted(Object.keys(ERDDAP_CLASSES))).toEqual(sorted(Object.keys(ERDDAP_RULES.classes)));
  });

  for (const name of Object.keys(ERDDAP_RULES.classes)) {
    it(`${name}: the child tags of ${ERDDAP_RULES.classes[name].parser}.fromXml`, () => {
      const expected = new Set(ERDDAP_RULES.classes[name].tags);
      // The SAX handler reads EDDTableFromMqtt with its broker tags; the legacy fromXml has none of them.
      if (ERDDAP_CLASSES[name].saxOnly) for (const tag of ERDDAP_CLASSES[name].tags) expected.add(tag);
      expect(stellerTags(name)).toEqual(sorted(expected));
    });
  }

  it('accept the same top-level tags', () => {
    expect(sorted(TOP_LEVEL_TAGS)).toEqual(sorted(ERDDAP_RULES.topLevelTags));
  });

  it('use the same vocabularies', () => {
    expect(sorted(IOOS_CATEGORIES)).toEqual(sorted(ERDDAP_RULES.ioosCategories));
    expect([...CDM_DATA_TYPES]).toEqual(ERDDAP_RULES.cdmTypes);
    expect(sorted(DATA_TYPES)).toEqual(sorted(ERDDAP_RULES.dataTypes));
    for (const type of ERDDAP_RULES.dataTypes) expect(ATTRIBUTE_TYPES.has(type) && ATTRIBUTE_TYPES.has(`${type}List`)).toBe(true);
  });
});
