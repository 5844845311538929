// CKAN's validators as steller reproduces them, held to the cases CKAN's own test suite uses
// (ckan/tests/logic/test_validators.py @ 2dbe2c1), and the names and tags steller derives held to
// those validators for any input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCkanUrl, isPortableEmail, PACKAGE_NAME_MAX_LENGTH, packageNameProblem, tagProblem } from '../../generators/ckan/ckan-rules.js';
import { packageNameFor, tagsFrom } from '../../generators/ckan/names.js';
import { parseWhen, schedulePeriod } from '../../generators/ckan/record.js';
import { DATASET_ID } from '../../schemas/model.js';

describe('CKAN validators, on the cases of CKAN\'s own tests', () => {
  it('name_validator: test_name_validator_with_valid_value / _with_invalid_value', () => {
    const valid = ['fred', 'fred-flintstone', 'fred_flintstone', 'fred_flintstone-9', 'f'.repeat(PACKAGE_NAME_MAX_LENGTH),
      '-'.repeat(PACKAGE_NAME_MAX_LENGTH), '_'.repeat(PACKAGE_NAME_MAX_LENGTH), '9'.repeat(PACKAGE_NAME_MAX_LENGTH), '99', '--', '__', 'fred-flintstone_9'];
    const invalid = ['new', 'edit', 'search', '', 'a', '2', 'a'.repeat(PACKAGE_NAME_MAX_LENGTH + 1), 'fred_❤%\'"Ußabc@fred.com', 'seanH', 'sean h', 'seanh!'];
    for (const name of valid) expect(packageNameProblem(name), name).toBeUndefined();
    for (const name of invalid) expect(packageNameProblem(name), name).toBeDefined();
  });

  it('email_validator: test_email_validator_with_valid_value / _with_invalid_value', () => {
    for (const email of ['text@example.com', 'test.this@example.com', 'test.this@server.example.com']) expect(isPortableEmail(email), email).toBe(true);
    for (const email of ['..test...test..@example.com', 'test @example.com', 'test@ example.com', 'test..test@example.com', 'test.test...@example.com', '...test@example.com']) {
      expect(isPortableEmail(email), email).toBe(false);
    }
  });

  it('url_validator: test_url_ok, test_url_invalid, test_url_validator', () => {
    for (const url of ['http://example.com', 'https://example.com', 'https://example.com/path?test=1&key=2', 'https://example.com:8080']) expect(isCkanUrl(url), url).toBe(true);
    for (const url of ['ftp://example.com', 'test123', 'https://example.com]', 'https://exa$mple.com', 'https://example.com:80a80', 'example.com']) expect(isCkanUrl(url), url).toBe(false);
  });

  it('tag_length_validator and tag_name_validator: 2-100 letters, digits, space, - _ .', () => {
    for (const tag of ['sea water', 'EARTH-SCIENCE', 'v1.2', 'snake_case', 'Golfe du Saint-Laurent', 'température', '海温', 'x'.repeat(100)]) expect(tagProblem(tag), tag).toBeUndefined();
    for (const tag of ['a', '', 'x'.repeat(101), 'Cape & Islands', 'salinity/conductivity', 'it\'s', 'a,b', 'A > B']) expect(tagProblem(tag), tag).toBeDefined();
  });
});

const datasetId = fc.stringMatching(DATASET_ID).filter((id) => id.length <= 200);

describe('names and tags steller derives', () => {
  it('a package name for any dataset id passes name_validator, and the same id always gives the same name', () => {
    fc.assert(fc.property(datasetId, (id) => {
      const name = packageNameFor(id);
      expect(packageNameProblem(name), `${id} -> ${name}`).toBeUndefined();
      expect(packageNameFor(id)).toBe(name);
    }), { numRuns: 2000 });
  });

  it('ids that differ ignoring case get different names, also when CKAN\'s munging would merge them', () => {
    const ids = ['a.b', 'a-b', 'a_b', 'A.B.', 'a--b', 'new', 'New.', 'edit', 'search', 'x', 'X-', `${'long.'.repeat(30)}a`, `${'long-'.repeat(30)}a`];
    const names = ids.map(packageNameFor);
    expect(new Set(names).size).toBe(ids.length);
    fc.assert(fc.property(fc.uniqueArray(datasetId, { minLength: 2, maxLength: 40, selector: (id) => id.toLowerCase() }), (batch) => {
      expect(new Set(batch.map(packageNameFor)).size).toBe(batch.length);
    }), { numRuns: 300 });
  });

  it('an id that is already a valid name is only lowercased', () => {
    expect(packageNameFor('PORTS_CC_realtime')).toBe('ports_cc_realtime');
    expect(packageNameFor('coops_8418150')).toBe('coops_8418150');
    expect(packageNameFor('a.b')).toMatch(/^a-b-[0-9a-f]{8}$/);
  });

  it('tags from any keywords pass the tag validators, hold no `_`, and are unique ignoring case', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 140 }), { maxLength: 12 }), (keywords) => {
      const tags = tagsFrom(keywords);
      for (const tag of tags) {
        expect(tagProblem(tag), tag).toBeUndefined();
        expect(tag).not.toContain('_');
      }
      expect(new Set(tags.map((t) => t.toLowerCase())).size).toBe(tags.length);
    }), { numRuns: 1000 });
    expect(tagsFrom(['sea_water_temperature', 'EARTH SCIENCE > OCEANS', 'Cape & Islands', 'x', 'Buoy', 'buoy'])).toEqual(
      ['sea water temperature', 'EARTH SCIENCE', 'OCEANS', 'Cape Islands', 'Buoy']);
  });
});

describe('dates and update periods read from the catalog', () => {
  it('ISO 8601 dates and date-times as written; anything else, or a day that does not exist, is no date', () => {
    expect(parseWhen('2024-06-01')).toEqual({ date: '2024-06-01' });
    expect(parseWhen('2024-05-06T07:08:09+0200')).toEqual({ date: '2024-05-06', date_time: '2024-05-06T07:08:09+02:00' });
    expect(parseWhen('2024-02-29 01:02')).toEqual({ date: '2024-02-29', date_time: '2024-02-29T01:02:00' });
    for (const text of ['2021-02-30', '2024-13-01', 'yesterday', '2024', '06/01/2024']) expect(parseWhen(text), text).toBeUndefined();
  });

  it('a schedule that is a plain repetition gives its period; others give none', () => {
    const periods: [string, string | undefined][] = [
      ['H/6 * * * *', 'PT6M'], ['*/15 * * * *', 'PT15M'], ['H * * * *', 'PT1H'], ['H H/3 * * *', 'PT3H'],
      ['H 2,8,14,20 * * *', 'PT6H'], ['0 6 * * *', 'P1D'], ['@daily', 'P1D'], ['@weekly', 'P1W'],
      ['H 2,8 * * *', undefined], ['15 4 * * 1', undefined], ['0 0 1 * *', undefined],
    ];
    for (const [schedule, period] of periods) expect(schedulePeriod(schedule), schedule).toBe(period);
  });
});
