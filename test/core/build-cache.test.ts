// The build cache keeps rendered texts in an append-only blob and gives them back lazily; when
// dead texts pile up it copies the live ones to a new blob. Whatever it does, texts read back
// must be the texts stored.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { BuildCache } from '../../core/cache.js';
import { ropeFile, Text } from '../../core/text.js';
import { signatureOf } from '../../core/output.js';
import { readLayered, unpackEntries, writeEntries } from '../../core/entry-file.js';
import { tempDir } from '../helpers/cli.js';

const scratch = tempDir('steller-cache-');
afterAll(() => scratch.cleanup());

interface Fragment {
  name: string;
  texts: Text[];
}

const fragmentOf = (i: number, generation: number): Fragment => ({
  name: `dataset ${i}`,
  texts: [Text.of(`<dataset id="${i}">${'é'.repeat(i % 7)} generation ${generation}</dataset>\n`), Text.of(`second text of ${i}`.repeat(i % 3 + 1))],
});

function textsOf(cache: BuildCache, key: string): string[] | undefined {
  const entry = cache.fragment(key)?.value as Fragment | undefined;
  return entry?.texts.map(String);
}

describe('build cache', () => {
  it('gives back stored texts, keeps their ids, and compacts the blob without losing any', () => {
    const dir = `${scratch.dir}/cache`;
    const first = BuildCache.open(dir, 'key', { compactAbove: 0 });
    for (let i = 0; i < 200; i++) first.storeFragment(`k${i}`, { value: fragmentOf(i, 1), diagnostics: [] });
    first.save();

    // Round 2 changes every odd dataset, round 3 again: dead texts pass twice the live ones, and the save compacts.
    let signature: string | undefined;
    for (const generation of [2, 3]) {
      const cache = BuildCache.open(dir, 'key', { compactAbove: 0 });
      for (let i = 0; i < 200; i++) {
        if (i % 2 === 0) expect(textsOf(cache, `k${i}`)).toEqual(fragmentOf(i, 1).texts.map(String));
        else cache.storeFragment(`k${i}`, { value: fragmentOf(i, generation), diagnostics: [] });
      }
      signature = signatureOf(ropeFile('f', (cache.fragment('k0')?.value as Fragment).texts, []));
      expect(signature).toBeDefined();
      cache.save();
      expect(readdirSync(dir).filter((name) => name.startsWith('texts-'))).toEqual([generation === 2 ? 'texts-0.bin' : 'texts-1.bin']);
    }

    const fourth = BuildCache.open(dir, 'key');
    for (let i = 0; i < 200; i++) expect(textsOf(fourth, `k${i}`), `k${i}`).toEqual(fragmentOf(i, i % 2 === 0 ? 1 : 3).texts.map(String));
    expect(signatureOf(ropeFile('f', (fourth.fragment('k0')?.value as Fragment).texts, []))).toBe(signature);
    expect(BuildCache.open(dir, 'another key').fragment('k0')).toBeUndefined();
  });

  it('a rope of fresh texts has no signature; its content is its pieces joined', () => {
    const file = ropeFile('f', ['<a>', Text.of('é'), '</a>'], []);
    expect(signatureOf(file)).toBeUndefined();
    expect(file.content).toBe('<a>é</a>');
  });

  it('an entries file gives back its header and entries, and a cut-short one gives nothing', () => {
    const entries = new Map<string, Uint8Array>([['datasets/a.yaml', Buffer.from('{"x":1}')], ['é\0key', new Uint8Array([0xff, 0, 1])], ['empty', new Uint8Array()]]);
    writeEntries(`${scratch.dir}/entries.bin`, { format: 1, key: 'k' }, entries);
    const packed = readFileSync(`${scratch.dir}/entries.bin`);
    const unpacked = unpackEntries(packed);
    expect(unpacked?.header).toMatchObject({ format: 1, key: 'k' });
    const plain = (map: ReadonlyMap<string, Uint8Array> | undefined) => Object.fromEntries([...(map ?? [])].map(([k, v]) => [k, [...v]]));
    expect(plain(unpacked?.entries)).toEqual(plain(entries));
    for (const cut of [1, 10, packed.length - 1]) expect(unpackEntries(packed.subarray(0, cut)), `cut at ${cut}`).toBeUndefined();
  });

  it('an entries file reads one section (the keys before a NUL) alone, and an old file without sections whole', () => {
    const entries = new Map<string, Uint8Array>([
      ['erddap\0a', Buffer.from('1')], ['ckan\0a', Buffer.from('2')], ['erddap\0b', Buffer.from('3')], ['plain', Buffer.from('4')],
    ]);
    const file = `${scratch.dir}/sections.bin`;
    writeEntries(file, { format: 1 }, entries);
    const valid = () => true;
    const read = (prefixes: string[]) => Object.fromEntries([...(readLayered(file, valid, { keyPrefixes: prefixes })?.entries ?? [])].map(([k, v]) => [k, v.toString()]));
    expect(read(['erddap\0'])).toEqual({ 'erddap\0a': '1', 'erddap\0b': '3' });
    expect(read(['ckan\0', 'qc\0'])).toEqual({ 'ckan\0a': '2' });
    expect(read(['erd'])).toEqual({ 'erddap\0a': '1', 'erddap\0b': '3' });
    // An entries file from before sections: the header says nothing of them, and the file is read whole.
    const old = Buffer.concat([...entries].flatMap(([key, value]) => [lengthOf(Buffer.from(key)), Buffer.from(key), lengthOf(value), value]));
    const header = Buffer.from('{"format":1}');
    writeFileSync(file, Buffer.concat([Buffer.from('STELLER-ENTRIES 1\n', 'latin1'), lengthOf(header), header, old]));
    expect(read(['erddap\0'])).toEqual({ 'erddap\0a': '1', 'erddap\0b': '3' });
  });
});

function lengthOf(bytes: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(bytes.length);
  return length;
}
