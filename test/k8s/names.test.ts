// Object names: DNS-1123, at most 52 characters for CronJobs, derived from the dataset id alone
// unless ids collide, never two objects with one name in a namespace, whatever their kinds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { dnsLabelFrom, isDnsLabel, MAX_CRONJOB_NAME, NameRegistry, shortHash } from '../../charts/names.js';
import { datasetFiles, projectYaml, renderFiles } from './render.js';

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const idArbitrary = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,90}$/);

describe('dnsLabelFrom', () => {
  it('keeps a valid name, lowercases and joins the rest, and hashes only what it cuts', () => {
    expect(dnsLabelFrom('a01-met', 52)).toBe('a01-met');
    expect(dnsLabelFrom('PORTS_CC_realtime', 52)).toBe('ports-cc-realtime');
    expect(dnsLabelFrom('Station.12..v2', 52)).toBe('station-12-v2');
    const long = `glider_${'x'.repeat(80)}`;
    const cut = dnsLabelFrom(long, 52);
    expect(cut).toHaveLength(52);
    expect(cut.endsWith(`-${shortHash(long)}`)).toBe(true);
  });

  it('gives a DNS-1123 label of the asked length for any id', () => {
    fc.assert(fc.property(idArbitrary, fc.integer({ min: 8, max: 63 }), (id, max) => {
      fc.pre(ID.test(id));
      const name = dnsLabelFrom(id, max);
      expect(isDnsLabel(name, max)).toBe(true);
      expect(dnsLabelFrom(id, max)).toBe(name);
    }));
  });
});

describe('NameRegistry', () => {
  it('gives every claimant its own name, the first its preferred one', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('a', 'a-b', 'x'.repeat(52), 'abc'), { maxLength: 40 }), (preferred) => {
      const registry = new NameRegistry();
      const names = preferred.map((p, i) => registry.claim({ preferred: p, seed: `seed${i}`, maxLength: MAX_CRONJOB_NAME }));
      expect(new Set(names).size).toBe(names.length);
      if (preferred.length) expect(names[0]).toBe(preferred[0]);
      for (const name of names) expect(isDnsLabel(name, MAX_CRONJOB_NAME)).toBe(true);
    }));
  });

  it('ends even when every hash of a seed is taken', () => {
    const registry = new NameRegistry();
    for (let length = 6; length <= 16; length += 2) registry.reserve(`a-${shortHash('s', length)}`);
    registry.reserve('a');
    expect(registry.claim({ preferred: 'a', seed: 's', maxLength: 52 })).toMatch(/^a-[0-9a-f]{16}$/);
  });
});

/** The CronJob name of every dataset of a rendered catalog. */
function cronJobNames(ids: string[]): Map<string, string> {
  const rendered = renderFiles({ 'steller.yaml': projectYaml(), ...datasetFiles(Object.fromEntries(ids.map((id) => [id, {}]))) });
  expect(rendered.errors).toEqual([]);
  const names = new Map<string, string>();
  for (const [path, file] of rendered.tree) {
    if (!path.startsWith('k8s/') || path.endsWith('kustomization.yaml')) continue;
    for (const doc of parseAllDocuments(file.content) as unknown as { toJS(): any }[]) {
      const object = doc.toJS();
      if (object.kind === 'CronJob') names.set(object.metadata.annotations['steller.io/dataset-id'], object.metadata.name);
    }
  }
  return names;
}

describe('CronJob names of adversarial ids, through the whole pipeline', () => {
  const prefix = 'Gulf_of_Maine.Buoy-Network.'.repeat(3);
  const ids = [
    'a.b', 'a_b', 'a-b', 'a__b', 'a..b', 'A_b_c', 'a-b-c',
    `${prefix}A01`, `${prefix}A02`, `${prefix}a03`,
    `a-b-${shortHash('cronjob\0a.b')}`, `a-b-${shortHash('cronjob\0a_b')}`,
    '44013', '0abc', 'x'.repeat(52), 'x'.repeat(53), 'X'.repeat(60),
  ];
  const names = cronJobNames(ids);

  it('are unique, DNS-1123, at most 52 characters', () => {
    expect(names.size).toBe(ids.length);
    const all = [...names.values()];
    expect(new Set(all).size).toBe(all.length);
    for (const name of all) expect(isDnsLabel(name, MAX_CRONJOB_NAME), name).toBe(true);
  });

  it('keep ids that are already valid names, and hash the ones that collide or are cut', () => {
    expect(names.get('a-b')).toBe('a-b');
    expect(names.get('44013')).toBe('44013');
    expect(names.get('x'.repeat(52))).toBe('x'.repeat(52));
    expect(names.get('a.b')).toMatch(/^a-b-[0-9a-f]{6,}$/);
    expect(names.get('x'.repeat(53))).toMatch(/^x{45}-[0-9a-f]{6}$/);
    for (const id of [`${prefix}A01`, `${prefix}A02`, `${prefix}a03`]) expect(names.get(id)?.length).toBe(52);
  });

  it('stay as they were when datasets are added', () => {
    const more = cronJobNames([...ids, 'a.c', 'zz_new', `${prefix}A04`]);
    for (const id of ids) expect(more.get(id), id).toBe(names.get(id));
  });
});
