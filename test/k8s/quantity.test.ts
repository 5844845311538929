// Canonical quantities, judged by apimachinery's own test tables (kubernetes/apimachinery,
// pkg/api/resource/quantity_test.go: TestQuantityString's canonical/alternate pairs and
// TestQuantityParseEmit), since Argo CD compares git's string with the one the API server stores.
import { describe, expect, it } from 'vitest';
import { canonicalQuantity, parseQuantity } from '../../charts/quantity.js';
import { resolveResources } from '../../charts/resources.js';

function canonical(text: string | number): string {
  const parsed = parseQuantity(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return canonicalQuantity(parsed.quantity);
}

// [canonical, alternate spelling]: both must print as the canonical one.
const QUANTITY_STRING: [string, string][] = [
  ['1Gi', '1024Mi'], ['300Mi', '307200Ki'], ['6Ki', '6Ki'], ['1001Gi', '1025024Mi'], ['1Ti', '1024Gi'],
  ['5', '5000m'], ['500m', '0.5'], ['1G', '1000M'], ['1G', '0.001T'], ['1m', '1000u'], ['80m', '80m'],
  ['1080m', '1.08'], ['1080m', '1080000000n'], ['300M', '300M'], ['1T', '1T'], ['1234567M', '1234567M'],
  ['3k', '3k'], ['1025', '1025'], ['0', '0'], ['1e9', '.001e12'], ['1e-3', '0.001e0'], ['1e-9', '1000e-12'],
  ['80e-3', '80e-3'], ['300e6', '300e6'], ['1e12', '1e12'], ['1e3', '1e3'], ['3e3', '3e3'], ['0', '00'],
  ['1n', '1n'], ['80n', '80n'], ['1080n', '1080n'], ['1u', '1u'], ['80u', '80u'], ['1080u', '1080u'],
];

const PARSE_EMIT: [string, string][] = [
  ['1Ki', '1Ki'], ['1Mi', '1Mi'], ['1Gi', '1Gi'], ['1024Mi', '1Gi'], ['1000M', '1G'],
  ['.001Ki', '1024m'], ['.000001Ki', '1024u'], ['.000000001Ki', '1024n'], ['.000000000001Ki', '2n'],
];

describe('canonical quantities', () => {
  it.each(QUANTITY_STRING)('%s (also written %s)', (expected, alternate) => {
    expect(canonical(expected)).toBe(expected);
    expect(canonical(alternate)).toBe(expected);
  });

  it.each(PARSE_EMIT)('%s prints as %s', (input, expected) => expect(canonical(input)).toBe(expected));

  it('reads YAML numbers as they are written', () => {
    expect(canonical(1)).toBe('1');
    expect(canonical(0.5)).toBe('500m');
    expect(canonical(1.5)).toBe('1500m');
  });

  it('rejects what Kubernetes cannot hold', () => {
    for (const bad of ['1.1.M', '0.1mi', 'aoeu', '1i', ' 1', '1 ', '-1', '9Ei', '1e40']) expect(parseQuantity(bad).ok, bad).toBe(false);
  });
});

describe('resources', () => {
  const at = { file: 'steller.yaml', path: ['kubernetes', 'resources'] };

  it('are explicit and canonical even when nothing is set', () => {
    const { resources, problems } = resolveResources([{ at }]);
    expect(problems).toEqual([]);
    expect(resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } });
  });

  it('take the dataset over steller.yaml, key by key, and write what the API server would store', () => {
    const { resources } = resolveResources([
      { resources: { requests: { cpu: '1000m', memory: '1024Mi' }, limits: { memory: '2Gi' } }, at },
      { resources: { limits: { cpu: 2 } }, at: { file: 'datasets/x.yaml', path: ['kubernetes', 'resources'] } },
    ]);
    expect(resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } });
  });

  it('set a missing request to its limit, as Kubernetes does, and never a default limit below a request', () => {
    expect(resolveResources([{ resources: { limits: { memory: '128Mi' } }, at }]).resources.requests.memory).toBe('128Mi');
    expect(resolveResources([{ resources: { requests: { memory: '4Gi' } }, at }]).resources.limits.memory).toBe('4Gi');
  });

  it('report a request above its limit where it is written', () => {
    const { problems } = resolveResources([{ resources: { requests: { cpu: '2' }, limits: { cpu: '500m' } }, at }]);
    expect(problems).toEqual([expect.objectContaining({ code: 'request-over-limit', at: { ...at, path: [...at.path, 'requests', 'cpu'] } })]);
  });
});
